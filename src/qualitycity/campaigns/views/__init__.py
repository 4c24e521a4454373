"""The campaign pages, one module per feature; campaigns/urls.py names them."""
