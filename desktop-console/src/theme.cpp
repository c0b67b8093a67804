#include "theme.hpp"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyleFactory>

namespace portcullis::console {

QColor tierFill(int tier) {
  switch (tier) {
    case 0: return {0x1a, 0x21, 0x2a};
    case 1: return {0x1b, 0x27, 0x38};
    case 2: return {0x17, 0x31, 0x33};
    case 3: return {0x33, 0x2c, 0x18};
    default: return {0x3a, 0x1b, 0x24};
  }
}

QColor tierEdge(int tier) {
  switch (tier) {
    case 0: return {0x5a, 0x68, 0x78};
    case 1: return {0x4f, 0x8c, 0xd6};
    case 2: return {0x3f, 0xb8, 0xaa};
    case 3: return {0xe0, 0xaa, 0x3e};
    default: return {0xff, 0x5a, 0x78};
  }
}

void applyWallTheme(QApplication& app) {
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette p;
  p.setColor(QPalette::Window, colors::background);
  p.setColor(QPalette::WindowText, colors::text);
  p.setColor(QPalette::Base, colors::panel);
  p.setColor(QPalette::AlternateBase, QColor(0x1e, 0x25, 0x2f));
  p.setColor(QPalette::Text, colors::text);
  p.setColor(QPalette::Button, QColor(0x26, 0x30, 0x3c));
  p.setColor(QPalette::ButtonText, colors::text);
  p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd0));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::ToolTipBase, colors::panel);
  p.setColor(QPalette::ToolTipText, colors::text);
  p.setColor(QPalette::PlaceholderText, colors::dimText);
  p.setColor(QPalette::Disabled, QPalette::ButtonText, colors::dimText);
  p.setColor(QPalette::Disabled, QPalette::Text, colors::dimText);
  app.setPalette(p);
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(17);
  app.setFont(f);
  app.setStyleSheet(QStringLiteral(
      "QHeaderView::section { background: #222b36; color: #c9d3de; padding: 6px; border: none;"
      "  border-right: 1px solid #10141a; font-weight: bold; }"
      "QTableView { gridline-color: #263040; selection-background-color: #2f6fd0; }"
      "QTabBar::tab { background: #1b222c; color: #9aa5b1; padding: 8px 18px; font-size: 17px; }"
      "QTabBar::tab:selected { background: #263140; color: #ffffff; border-bottom: 3px solid #4f8cd6; }"
      "QPushButton { padding: 8px 16px; border-radius: 4px; background: #2a3543; border: 1px solid #3a4656; }"
      "QPushButton:hover { background: #33414f; }"
      "QPushButton#danger { background: #6b1f1f; border-color: #a33; }"
      "QLineEdit, QComboBox { padding: 6px; background: #141a21; border: 1px solid #34404e; border-radius: "
      "4px; }"
      "QSplitter::handle { background: #0b0e12; }"
      "QStatusBar { color: #c9d3de; }"));
}

}  // namespace portcullis::console
