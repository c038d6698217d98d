"""Text from files or URLs (ward names, drill paths) shown as the text it is: Streamlit reads headings, labels
and st.markdown as Markdown, Plotly reads tick labels and titles as a subset of HTML."""

from __future__ import annotations

import html
import re

_MARKUP = re.compile(r"([\\`*_\[\]<>#|~$&])")  # links, images, emphasis, code, HTML, tables, maths
_DIRECTIVE_OR_SCHEME = re.compile(r":(?=\S)")  # :emoji:, :red[...], :material/...:, https:// autolinks
_WWW = re.compile(r"(?i)(?<=www)\.")  # www. autolinks
_AT = re.compile("@")  # e-mail autolinks
# GitHub-flavoured autolinks are found in the text after escapes are read, so a backslash does not stop them:
# a zero-width space between 'https' and '://', 'www' and '.', '@' and the domain does.
ZWSP = "\u200b"
_BLOCK_START = re.compile(r"^(\d+(?=[.)])|[-+=])")  # a list or heading marker at the start


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def for_markdown(text: object) -> str:
    """Markup characters backslash-escaped (CommonMark then shows each as itself), so no link, image,
    emphasis, raw HTML, autolink or Streamlit directive can start from the text; plain words, digits and
    punctuation such as ': , ( ) -' inside a sentence are left as they are. Shown, it reads as the text
    itself (the zero-width spaces are invisible)."""
    escaped = _MARKUP.sub(r"\\\1", one_line(text).replace(ZWSP, ""))
    escaped = _AT.sub("@" + ZWSP, _WWW.sub(ZWSP + r"\\.", _DIRECTIVE_OR_SCHEME.sub(ZWSP + r"\\:", escaped)))
    return _BLOCK_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), escaped)


def for_plotly(text: object) -> str:
    """< > & as entities: Plotly then shows `<a href=...>` as those characters instead of making a link."""
    return html.escape(str(text), quote=False)
