#!/usr/bin/env python3
"""Render short caption-driven lecture videos for coordinator-lms modules.

For each module Markdown file (default: all content/modules/*.md) read the YAML front matter and
the Japanese WebVTT named in ``captions: {ja: ...}``, and render the MP4 named in ``video:`` (paths
relative to content/): one plain slide per cue, showing the module title (small, top) and the cue
text (large, wrapped, centred) for exactly the cue's time span, so the video ends at the last
cue's end.  H.264 640x360 10 fps crf 35, no audio, +faststart: roughly 100 KB per minute.

Deterministic (single-threaded, bitexact) and idempotent: a video newer than its .md and .vtt is
skipped unless --force.  Front matter is never changed; a ``duration`` that differs from the
captions' end (rounded up) is reported as a warning.

Usage: .venv/bin/python tools/make_lecture_video.py [--force] [content/modules/x.md ...]
Needs: ffmpeg with drawtext (libfreetype), fonts-ipaexfont, PyYAML.
"""

import argparse
import math
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
W, H, FPS = 640, 360, 10
BG, FG, SUB, ACCENT = "0x1f3a4d", "0xf4f1ea", "0xa9c4d4", "0x6fa8a0"
WRAP = 22  # full-width characters per caption line
FOOTER = "外国人支援コーディネーター養成研修"
NO_LINE_START = set("、。，．・：；？！ー）」』】〕〉》…ぁぃぅぇぉっゃゅょッャュョ,.;:!?)")
ENCODE = (  # H.264, tiny and reproducible: single thread, bitexact, no metadata, no audio
    "-an -c:v libx264 -preset veryslow -crf 35 -tune stillimage -pix_fmt yuv420p -threads 1"
    f" -g {FPS * 10} -map_metadata -1 -fflags +bitexact -flags:v +bitexact -movflags +faststart"
).split()
TS = re.compile(r"(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})")


def front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    m = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.S)
    if not m:
        raise ValueError(f"{md}: no YAML front matter")
    return yaml.safe_load(m.group(1))


def seconds(ts: str) -> float:
    if not (match := TS.fullmatch(ts)):
        raise ValueError(f"bad WebVTT timestamp {ts!r}")
    h, m, s, ms = match.groups()
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_vtt(path: Path) -> list[tuple[float, float, str]]:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if not text.startswith("WEBVTT"):
        raise ValueError(f"{path}: missing WEBVTT header")
    cues = []
    for block in re.split(r"\n\s*\n", text)[1:]:
        lines = block.strip().split("\n")
        idx = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if idx is None:
            continue  # NOTE / STYLE / REGION blocks
        start, end = (p.split()[0] for p in lines[idx].split("-->"))
        body = re.sub(r"<[^>]+>", "", "".join(ln.strip() for ln in lines[idx + 1 :]))
        cues.append((seconds(start), seconds(end), body))
    if not cues:
        raise ValueError(f"{path}: no cues")
    return cues


def cell_width(s: str) -> float:
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in s)


def _soft_break(s: str, i: int, width: float) -> bool:
    """A likely phrase boundary: hiragana (a particle or ending) followed by kanji/katakana."""
    return (
        "\u3041" <= s[i - 1] <= "\u309f"
        and not "\u3041" <= s[i] <= "\u309f"
        and s[i] not in NO_LINE_START
        and cell_width(s[:i]) >= width * 0.6
    )


def wrap(text: str, width: float = WRAP) -> list[str]:
    """Wrap by display width: whole clauses (ending in 、 or 。) go on one line when they fit,
    longer ones are filled character by character, keeping ASCII words whole and never
    starting a line with closing punctuation (simple kinsoku), preferring a phrase boundary;
    a tiny last line is avoided."""
    lines, cur = [], ""
    for clause in filter(None, re.findall(r"[^、。]*[、。]?", text)):
        if cur and cell_width(cur + clause) > width >= cell_width(clause):
            lines, cur = [*lines, cur.rstrip()], ""
        for tok in re.findall(r"[A-Za-z0-9_./%-]+|\s+|.", clause):
            if cur and cell_width(cur + tok.rstrip()) > width and tok[0] not in NO_LINE_START:
                cut = next((i for i in range(len(cur) - 1, 0, -1) if _soft_break(cur, i, width)), 0)
                lines, cur = [*lines, cur[: cut or None].rstrip()], (cur[cut:] if cut else "") + tok
            else:
                cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    if len(lines) > 1 and cell_width(lines[-1]) < 4 and width > 14:
        return wrap(text, width - 2)
    return lines


def drawtext(txtfile: Path, size: int, color: str, y: str, enable: str = "") -> str:
    opt = (
        f"drawtext=fontfile={FONT}:textfile={txtfile}:expansion=none:fontsize={size}"
        f":fontcolor={color}:x=(w-text_w)/2:y={y}"
    )
    return opt + (f":enable='{enable}'" if enable else "")


def build_filter(title: str, cues, tmp: Path) -> str:
    def put(name: str, s: str) -> Path:
        (tmp / name).write_text(s, encoding="utf-8")
        return tmp / name

    tsize = min(18, int((W - 40) / max(cell_width(title), 1)))
    chain = [
        drawtext(put("title.txt", title), tsize, SUB, "22"),
        f"drawbox=x=40:y=56:w={W - 80}:h=2:color={ACCENT}:t=fill",
        drawtext(put("footer.txt", FOOTER), 13, SUB, f"{H - 30}"),
    ]
    for n, (start, end, text) in enumerate(cues):
        lines = wrap(text)
        size = 26 if len(lines) <= 5 else max(16, int(26 * 5 / len(lines)))
        lh = int(size * 1.55)
        top = 200 - len(lines) * lh // 2
        span = f"gte(t,{start:.3f})*lt(t,{end:.3f})"  # half-open: cues never overlap
        for i, line in enumerate(lines):
            txt = put(f"c{n:02d}_{i}.txt", line)
            chain.append(drawtext(txt, size, FG, str(top + i * lh), span))
        counter = put(f"n{n:02d}.txt", f"{n + 1} / {len(cues)}")
        chain.append(drawtext(counter, 12, SUB, f"{H - 52}", span))
    return ",\n".join(chain)


def render(md: Path, force: bool) -> str:
    meta = front_matter(md)
    content = md.resolve().parent.parent
    vtt, out = content / meta["captions"]["ja"], content / meta["video"]
    cues = parse_vtt(vtt)
    total = cues[-1][1]
    if meta.get("duration") != math.ceil(total):
        msg = f"duration {meta.get('duration')} != captions end {total:.3f}s"
        print(f"warning: {md.name}: {msg} (ceil {math.ceil(total)})", file=sys.stderr)
    newest_src = max(md.stat().st_mtime, vtt.stat().st_mtime)
    if not force and out.exists() and out.stat().st_mtime > newest_src:
        return f"skip   {out.relative_to(content)} (up to date)"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lecvid") as td:
        tmp = Path(td)
        script = tmp / "filter.txt"
        script.write_text(build_filter(meta["title"], cues, tmp), encoding="utf-8")
        src = f"color=c={BG}:s={W}x{H}:r={FPS}:d={total:.3f}"
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", src]
        part = out.with_name(out.stem + ".part.mp4")  # never leave a half-written video behind
        cmd += ["-filter_script:v", str(script), "-t", f"{total:.3f}", *ENCODE, str(part)]
        try:
            subprocess.run(cmd, check=True)
            part.replace(out)
        finally:
            part.unlink(missing_ok=True)
    return f"render {out.relative_to(content)} ({total:.1f}s, {out.stat().st_size // 1024} KB)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", type=Path, help="module .md files (default: all)")
    ap.add_argument("--force", action="store_true", help="re-render even if up to date")
    args = ap.parse_args(argv)
    mds = args.modules or sorted((ROOT / "content" / "modules").glob("*.md"))
    failed = 0
    for md in mds:
        try:
            print(render(md, args.force))
        except (OSError, ValueError, KeyError, subprocess.CalledProcessError) as exc:
            failed += 1
            print(f"error  {md}: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
