#pragma once
// The wall-screen look: dark Fusion palette, large type, severity colours.
#include <QColor>

class QApplication;

namespace portcullis::console {

void applyWallTheme(QApplication& app);
QColor tierFill(int tier);
QColor tierEdge(int tier);

namespace colors {
inline const QColor background{0x10, 0x14, 0x1a};
inline const QColor panel{0x18, 0x1e, 0x26};
inline const QColor text{0xe8, 0xec, 0xf1};
inline const QColor dimText{0x9a, 0xa5, 0xb1};
inline const QColor live{0x1f, 0x8a, 0x4c};
inline const QColor stale{0xc7, 0x8a, 0x00};
inline const QColor down{0xc0, 0x29, 0x29};
}  // namespace colors

}  // namespace portcullis::console
