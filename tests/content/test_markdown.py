"""The one Markdown configuration: safe HTML, resolved links, footnotes, tables, admonitions."""

from pathlib import Path

import pytest

from lms.content.loader import load_modules
from lms.content.markdown import headings, render, slugify

SAMPLE_COURSE = Path(__file__).parents[2] / "content"


def test_raw_html_comes_out_escaped():
    html = render('<script>alert("x")</script>\n\nText <img src=x onerror="alert(1)"> end\n')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


@pytest.mark.parametrize("source", [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_script_links_never_become_links(source):
    seen = []
    html = render(source, lambda url: seen.append(url) or url)
    assert "<a " not in html and "<img" not in html and seen == []


def test_relative_links_and_images_go_through_resolve_url():
    seen = []

    def resolve(url: str) -> str:
        seen.append(url)
        return "/media/" + url.replace("../media/", "")

    html = render("[次へ](b01-second.md#まとめ) ![図](<../media/図 1.png>)\n\n"
                  "[top](#top) [root](/course/) [mail](mailto:a@example.jp)\n", resolve)
    assert seen == ["b01-second.md#まとめ", "../media/図 1.png"]  # as written, not %-encoded
    assert '<a href="/media/b01-second.md#まとめ">次へ</a>' in html
    assert '<img src="/media/図 1.png" alt="図" />' in html
    assert '<a href="#top">top</a>' in html and '<a href="/course/">root</a>' in html
    assert '<a href="mailto:a@example.jp">mail</a>' in html


def test_links_are_left_alone_without_a_resolver():
    assert render("[x](other.md)") == '<p><a href="other.md">x</a></p>\n'


def test_external_links_open_apart_without_referrer():
    html = render("[出入国在留管理庁](https://www.moj.go.jp/isa/) and <http://example.jp>")
    assert ('<a href="https://www.moj.go.jp/isa/" rel="noopener noreferrer" '
            'target="_blank">出入国在留管理庁</a>') in html
    assert '<a href="http://example.jp" rel="noopener noreferrer" target="_blank">' in html


def test_footnotes_tables_and_strikethrough_render():
    html = render("本文[^1]\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n[^1]: 脚注の説明\n")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">' in html
    assert '<li id="fn1" class="footnote-item"><p>脚注の説明' in html
    assert "<table>" in html and "<th>a</th>" in html and "<td><s>2</s></td>" in html


def test_admonitions_render_as_asides_with_their_title():
    html = render("::: note 大切なこと\n**中身**\n:::\n\n::: warning\n気をつける\n:::\n")
    assert html == (
        '<aside class="admonition admonition-note" role="note">\n'
        '<p class="admonition-title">大切なこと</p>\n<p><strong>中身</strong></p>\n</aside>\n'
        '<aside class="admonition admonition-warning" role="note">\n'
        '<p class="admonition-title">注意</p>\n<p>気をつける</p>\n</aside>\n')


@pytest.mark.parametrize(("name", "title"), [
    ("note", "補足"), ("warning", "注意"), ("tip", "ヒント"), ("important", "重要")])
def test_each_admonition_has_a_japanese_default_title(name, title):
    assert f'<p class="admonition-title">{title}</p>' in render(f"::: {name}\nx\n:::\n")


def test_admonition_titles_can_be_given_and_are_escaped():
    html = render("::: tip\nx\n:::\n\n::: note <b>太字</b>\ny\n:::\n", titles={"tip": "Tip"})
    assert '<p class="admonition-title">Tip</p>' in html
    assert '<p class="admonition-title">&lt;b&gt;太字&lt;/b&gt;</p>' in html
    assert "<p>::: danger" in render("::: danger\nx\n:::\n")  # unknown names stay text


def test_headings_get_stable_unique_ids_that_headings_lists():
    text = ("# 講義\n\n## 相談面接とは\n\n### `傾聴` の技法\n\n## 相談面接とは\n\n"
            "## Ｆｕｌｌ　Width！\n\n## fn1\n\n#### 深い見出し\n")
    html = render(text)
    assert '<h2 id="相談面接とは">' in html and '<h2 id="相談面接とは-1">' in html
    assert '<h3 id="傾聴-の技法"><code>傾聴</code> の技法</h3>' in html
    assert headings(text) == [
        (2, "相談面接とは", "相談面接とは"), (3, "傾聴 の技法", "傾聴-の技法"),
        (2, "相談面接とは", "相談面接とは-1"), (2, "Ｆｕｌｌ　Width！", "full-width"),
        (2, "fn1", "fn1-1")]


def test_slugify_keeps_japanese_and_drops_punctuation():
    assert slugify("「つなぐ」支援と、連携・調整") == "つなぐ支援と連携調整"
    assert slugify("Step 1: Intake") == "step-1-intake"
    assert slugify("！？") == "section"


def test_every_sample_module_body_renders_safely():
    modules, _ = load_modules(SAMPLE_COURSE)
    for module in modules:
        html = render(module.body, lambda url: url)
        assert "<script" not in html and "javascript:" not in html, module.path
        assert ":::" not in html, f"{module.path}: an admonition did not render"
