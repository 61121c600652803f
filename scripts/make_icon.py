"""Draw the application icon with QPainter and write ``resources/app.png`` (256 px) and
``resources/app.ico`` (16–256 px, PNG-compressed entries as Windows Vista+ reads them).

Run again after changing the drawing: ``QT_QPA_PLATFORM=offscreen python scripts/make_icon.py``.
The results are committed; the build does not run this script.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

RED = QColor("#B71C1C")  # the red of official letterheads
GOLD = QColor("#FFC107")
PAPER = QColor("#FFFFFF")
INK = QColor("#37474F")
GREEN = QColor("#2E7D32")


def draw(size: int) -> QImage:
    """A red rounded tile, a sheet with three task lines and a green tick on the first two."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # draw on a 256 grid
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    p.setBrush(GOLD)
    p.drawRoundedRect(QRectF(8, 206, 240, 42), 20, 20)
    p.drawRect(QRectF(8, 206, 240, 20))
    # the sheet
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(56, 36, 144, 180), 12, 12)
    small = size < 40  # at 16–32 px only bold shapes survive
    line_pen = QPen(INK, 16 if small else 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    tick_pen = QPen(GREEN, 20 if small else 14, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin)
    rows = (80, 126, 172) if not small else (90, 160)
    for i, y in enumerate(rows):
        p.setPen(line_pen)
        p.drawLine(QPointF(112, y), QPointF(178, y))
        if i < len(rows) - 1:
            p.setPen(tick_pen)
            tick = QPainterPath(QPointF(72, y))
            tick.lineTo(QPointF(84, y + 12))
            tick.lineTo(QPointF(100, y - 12))
            p.drawPath(tick)
        else:
            p.setPen(QPen(INK, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(86, y), 11, 11)
            p.setBrush(PAPER)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """ICONDIR + ICONDIRENTRY per image + PNG payloads (a width/height byte of 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in images:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts/painting need it
    RESOURCES.mkdir(exist_ok=True)
    (RESOURCES / "app.png").write_bytes(png_bytes(draw(256)))
    (RESOURCES / "app.ico").write_bytes(ico_bytes([(s, png_bytes(draw(s))) for s in ICO_SIZES]))
    print(f"wrote {RESOURCES / 'app.png'} and {RESOURCES / 'app.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
