"""Pages of the organisation: directories (units, groups, loading) and people (users and
memberships of the office's own region)."""
