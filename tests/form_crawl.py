"""The forms a page offers, read from its HTML as a browser would: where each posts, and the
values a user sends when they change nothing. Used by the hostile-input suite to attack every
page form without a hand-written list that drifts from the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

SUBMIT_TYPES = {"submit", "button", "reset", "image"}


@dataclass
class Control:
    name: str
    kind: str  # text, textarea, number, date, month, select, checkbox, radio, hidden, file, …
    value: str
    required: bool = False
    options: list[str] = field(default_factory=list)
    checked: bool = False
    maxlength: int | None = None


@dataclass
class Form:
    action: str
    method: str
    htmx: bool
    multipart: bool
    controls: list[Control] = field(default_factory=list)
    submit: tuple[str, str] | None = None  # the button a user presses to send it (see below)
    unnamed_submit: bool = False

    def names(self) -> set[str]:
        return {c.name for c in self.controls}

    def baseline(self) -> list[tuple[str, str]]:
        """What the browser sends for the form as the page shows it (files left out)."""
        data: list[tuple[str, str]] = []
        for c in self.controls:
            if c.kind == "file":
                continue
            if c.kind in ("checkbox", "radio"):
                if c.checked:
                    data.append((c.name, c.value))
            elif c.kind == "select":
                data.append((c.name, c.value))
            else:
                data.append((c.name, c.value))
        if self.submit:
            data.append(self.submit)
        return data


class FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._select_multiple = False
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or self.page_url
            method = "post" if a.get("hx-post") else a.get("method", "get").lower()
            self._form = Form(
                action=urljoin(self.page_url, action),
                method=method,
                htmx="hx-post" in a,
                multipart="multipart" in a.get("enctype", "")
                or "multipart" in a.get("hx-encoding", ""),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or a.get("form"):
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in SUBMIT_TYPES:
                self._button(form, name, a.get("value", ""))
                return
            if name:
                form.controls.append(
                    Control(
                        name=name,
                        kind=kind,
                        value=a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                        required="required" in a,
                        checked="checked" in a,
                        maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
                    )
                )
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button(form, name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = Control(name=name, kind="select", value="", required="required" in a)
            self._select_multiple = "multiple" in a
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea = Control(
                name=name,
                kind="textarea",
                value="",
                required="required" in a,
                maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
            )
            form.controls.append(self._textarea)

    @staticmethod
    def _button(form: Form, name: str, value: str) -> None:
        """The form's main button: an unnamed one (a form's plain 保存), else the first named
        one (an action such as 采纳)."""
        if not name:
            form.unnamed_submit = True
            form.submit = None
        elif form.submit is None and not form.unnamed_submit:
            form.submit = (name, value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text
            self._select.options.append(value)
            if self._option_selected or (len(self._select.options) == 1):
                self._select.value = value
            self._option_value = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                # HTML drops the line break right after <textarea>, and so does a browser
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms
