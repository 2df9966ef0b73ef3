"""Outlook HTML bodies become readable plain text for Recruit; plain text becomes the HTML body we write."""

import string
from html import escape

from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.html_text import body_to_text, html_to_text, text_to_body, text_to_html, trim_text


def test_paragraphs_and_line_breaks_become_lines() -> None:
    assert html_to_text("<p>First</p><p>Second<br>Third</p>") == "First\nSecond\nThird"


def test_entities_are_decoded() -> None:
    assert html_to_text("<p>Fish &amp; chips&nbsp;&lt;3 &#8364;5</p>") == "Fish & chips <3 €5"


def test_scripts_styles_and_head_are_dropped() -> None:
    html = (
        "<html><head><title>t</title><style>p {color: red}</style></head><body>Hi<script>x()</script></body>"
    )
    assert html_to_text(html) == "Hi"


def test_source_formatting_whitespace_collapses() -> None:
    assert html_to_text("<div>\n   Meet   the\n   team\n</div>") == "Meet the team"


def test_each_empty_outlook_paragraph_is_one_blank_line_as_outlook_shows_it() -> None:
    html = "<p>Top</p><p>&nbsp;</p><p>&nbsp;</p><p>Bottom</p>"
    assert html_to_text(html) == "Top\n\n\nBottom"


def test_every_line_break_is_kept_so_blank_lines_survive() -> None:
    assert html_to_text("a<br><br><br><br>b") == "a\n\n\n\nb"


def test_list_items_and_table_cells_stay_apart() -> None:
    html = "<ul><li>one</li><li>two</li></ul><table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table>"
    assert html_to_text(html) == "  * one\n  * two\nA\tB\nC"


def test_numbered_lists_keep_their_numbers() -> None:
    assert html_to_text("<ol><li>first</li><li>second</li></ol>") == " 1. first\n 2. second"


def test_a_teams_link_keeps_its_url_after_its_text() -> None:
    url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d"
    html = f'<p>Microsoft Teams meeting</p><p><a href="{escape(url)}">Click here to join the meeting</a></p>'
    assert html_to_text(html) == f"Microsoft Teams meeting\nClick here to join the meeting <{url}>"


def test_a_link_whose_text_is_its_url_is_not_repeated() -> None:
    html = '<div>Join <a href="https://example.com/j">https://example.com/j</a></div>'
    assert html_to_text(html) == "Join https://example.com/j"


def test_a_mail_link_showing_its_address_is_not_repeated() -> None:
    assert html_to_text('<a href="mailto:pat@example.com">pat@example.com</a>') == "pat@example.com"


def test_anchors_and_script_links_add_no_url() -> None:
    assert html_to_text('<a href="#top">Top</a> <a href="javascript:x()">Run</a>') == "Top Run"


def test_runs_of_no_break_spaces_and_tabs_in_the_text_are_kept() -> None:
    assert (
        html_to_text("<div>&nbsp;&nbsp;&nbsp; indented&nbsp;&nbsp;two\tthree</div>")
        == "    indented  two\tthree"
    )


def test_preformatted_text_keeps_its_spacing() -> None:
    assert html_to_text("<pre>a  b\n  c</pre>") == "a  b\n  c"


def test_text_body_is_passed_through_and_html_body_converted() -> None:
    assert body_to_text({"contentType": "text", "content": "plain\r\ntext"}) == "plain\ntext"
    assert body_to_text({"contentType": "html", "content": "<b>bold</b>"}) == "bold"
    assert body_to_text(None) == ""


def test_plain_text_is_written_as_html_that_shows_it_as_typed() -> None:
    assert text_to_body("Line 1\r\n  <b>2</b>  &\tthree ") == {
        "contentType": "html",
        "content": "<div>Line 1<br>\r\n&nbsp;&nbsp;&lt;b&gt;2&lt;/b&gt;&nbsp;&nbsp;&amp;\tthree&nbsp;</div>",
    }
    assert text_to_body(None) == {"contentType": "html", "content": "<div></div>"}


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")) | st.just("\t")),
        max_size=6,
    ).map("\n".join)
)
def test_the_html_we_write_reads_back_as_the_text_we_wrote(text: str) -> None:
    assert html_to_text(text_to_html(text)) == trim_text(text)


@given(st.text(max_size=200))
def test_any_markup_converts_without_error_to_trimmed_lines(html: str) -> None:
    text = html_to_text(html)
    assert text == text.strip("\n")
    assert all(line == line.rstrip(" ") for line in text.split("\n"))


@given(st.lists(st.text(alphabet=string.ascii_letters + string.digits + " .,!?", max_size=20), max_size=6))
def test_plain_lines_rendered_as_outlook_html_come_back_as_the_same_lines(lines: list[str]) -> None:
    html = "<html><body>" + "".join(f"<div>{escape(line)}</div>" for line in lines) + "</body></html>"
    expected = [" ".join(line.split()) for line in lines if line.strip()]
    assert html_to_text(html) == "\n".join(expected)
