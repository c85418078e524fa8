"""Question card render time at 1920x1080 (target <= 30 ms), against baselines measured in the same run.

Figures (p50/p95 over many renders, after one warm-up):
- card_render_1080p: layout + drawing + PNG encode (compress_level=1) of a Dutch and an Arabic card, i.e.
  everything between "put on air" and the bytes that write_png_atomic puts on disk;
- baseline: Pillow's PNG encode (compress_level=1) of a blank transparent 1920x1080 frame, the floor any
  full-frame overlay pays the straightforward way (our encoder skips transparent rows, so the card beats it);
- baseline_plain_draw: Pillow drawing the same text in one call with the basic layout engine (no shaping, no
  bidi, no wrapping: wrong for Arabic, but the cheapest way to put pixels there) plus the same encode.
Each line: value, baseline, ratio and the target. Every card render starts with an empty measurement cache
(a new question is new text). Wall-clock figures suffer when other processes share the CPU, so each line
also carries the CPU time of the rendering thread (time.thread_time), which does not.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

from studio.overlay import layout
from studio.overlay.fonts import FONTS_DIR
from studio.overlay.render import encode_png, render_question_card
from studio.overlay.theme import load_theme

TEXTS = {
    "nl": "Mijn fiets is vorige week bij het station gestolen. Ik heb aangifte gedaan, maar hoor niets meer. "
    "Wat kan ik nog doen, en hoe voorkom ik dat het opnieuw gebeurt?",
    "ar": "مرحبًا، سُرقت دراجتي الأسبوع الماضي قرب المحطة. قدمت بلاغًا ولكن لم أسمع شيئًا. هل أتصل بالرقم "
    "0900-8844 أم أنتظر؟ وكيف أحمي دراجتي في المستقبل؟",
}
ROUNDS = 60


CPU: dict[str, list[float]] = {}


def _times(fn: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
    fn()  # warm-up: fonts, zlib
    out = []
    cpu = CPU.setdefault(getattr(fn, "__name__", "?"), [])
    cpu.clear()
    for _ in range(rounds):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    theme = load_theme()
    blank = Image.new("RGBA", (1920, 1080), (0, 0, 0, 0))
    plain_font = ImageFont.truetype(str(FONTS_DIR / "NotoSans-Regular.ttf"), 52, layout_engine=ImageFont.Layout.BASIC)

    def encode_blank() -> None:
        blank.save(io.BytesIO(), format="PNG", compress_level=1)

    base = _times(encode_blank)
    base_p50, base_p95 = _p(base, 50), _p(base, 95)

    for lang, text in TEXTS.items():

        def plain(text: str = text) -> None:
            img = Image.new("RGBA", (1920, 1080), (0, 0, 0, 0))
            ImageDraw.Draw(img).text((144, 840), text[:70], font=plain_font, fill=(255, 255, 255, 255))
            img.save(io.BytesIO(), format="PNG", compress_level=1)

        def card(text: str = text, lang: str = lang) -> None:
            layout._measure.cache_clear()
            encode_png(render_question_card(text, lang, theme))

        def layout_only(text: str = text, lang: str = lang) -> None:
            layout._measure.cache_clear()
            render_question_card(text, lang, theme)

        plain_t = _times(plain)
        card_t = _times(card)
        layout_t = _times(layout_only)
        p50, p95 = _p(card_t, 50), _p(card_t, 95)
        print(json.dumps({
            "bench": f"card_render_1080p_{lang}",
            "value_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "cpu_p50_ms": round(_p(CPU["card"], 50), 2),
            "cpu_p95_ms": round(_p(CPU["card"], 95), 2),
            "render_only_p50_ms": round(_p(layout_t, 50), 2),
            "render_only_cpu_p50_ms": round(_p(CPU["layout_only"], 50), 2),
            "baseline": "Pillow PNG encode of a blank 1920x1080 frame",
            "baseline_ms": round(base_p50, 2),
            "baseline_cpu_ms": round(_p(CPU["encode_blank"], 50), 2),
            "ratio": round(p50 / base_p50, 2),
            "plain_draw_ms": round(_p(plain_t, 50), 2),
            "ratio_vs_plain_draw": round(p50 / _p(plain_t, 50), 2),
            "target": "<=30 ms",
            "meets_target": p50 <= 30,
        }, ensure_ascii=False), flush=True)
    card_img = render_question_card(TEXTS["nl"], "nl", theme)

    def encode_fast() -> None:
        encode_png(card_img)

    def encode_pillow() -> None:
        card_img.save(io.BytesIO(), format="PNG", compress_level=1)

    fast, slow = _p(_times(encode_fast), 50), _p(_times(encode_pillow), 50)
    print(json.dumps({"bench": "png_encode_card_1080p", "value_ms": round(fast, 2), "baseline": "Pillow PNG encode",
                      "baseline_ms": round(slow, 2), "ratio": round(fast / slow, 3),
                      "blank_pillow_p50_ms": round(base_p50, 2), "blank_pillow_p95_ms": round(base_p95, 2)}))


if __name__ == "__main__":
    main()
