#!/usr/bin/env bash
# The guard console's words go through Qt's translation system, so a site can ship the console in its own
# language (docs/console.md, "Language"). This test reads desktop-console/src and fails when a text that
# looks meant for a person (a string literal with a letter in it) reaches one of the common text setters
# without tr() / QCoreApplication::translate(): setText, setWindowTitle, setToolTip, setPlaceholderText,
# setStatusTip, setTitle, showMessage, addTab, addAction, addItem, setHorizontalHeaderLabels, QMessageBox,
# new QLabel / QPushButton / QAction / QBarSet, command-line help, and the console's own status and label
# helpers. Literals inside any other call in the argument (tr(), .arg(), toString("HH:mm"), a comparison)
# are that call's business: only the text the setter shows as it is counts.
# Usage: console_translated_text_test.sh [source-root]   (default: this checkout)
set -euo pipefail

repo="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
failures=0
fail() { failures=$((failures + 1)); echo "FAIL $*"; }

# check FILE...: prints "file:line: setter: "literal"" for every untranslated text, one per line.
check() {
  perl -CSD -e '
use strict;
use warnings;

# Calls that show a text, and which of their arguments (0-based) is the text.
my @rules = (
  [qr/(?<![\w:])(?:setText|setWindowTitle|setToolTip|setPlaceholderText|setStatusTip|setWhatsThis|setTitle|setTitleText|setName|showMessage|setHorizontalHeaderLabels|setVerticalHeaderLabels|setLabelText|setApplicationDescription|addItem|addButton|addMenu|showStatus|setOfflineView|setStatus|status|plainLabel|plain|swatch)\s*\(/, [0]],
  [qr/(?<![\w:])addTab\s*\(/, [1, 2]],
  [qr/(?<![\w:])addAction\s*\(/, [0, 1]],
  [qr/\bnew\s+(?:QLabel|QPushButton|QToolButton|QCheckBox|QRadioButton|QGroupBox|QAction|QMenu|QBarSet)\s*\(/, [0]],
  [qr/\b(?:QLabel|QPushButton|QCheckBox|QRadioButton|QGroupBox|QAction|QMenu|QBarSet)\s+\w+\s*[({]/, [0]],
  [qr/\bQMessageBox::(?:information|warning|critical|question|about)\s*\(/, [1, 2]],
  [qr/\bQMessageBox\s+\w+\s*[({]/, [1, 2, 3]],
  [qr/\bQCommandLineOption\s+\w+\s*[({]/, [1]],
  [qr/\bQFileDialog::get\w+\s*\(/, [1, 3]],
  [qr/\bReasonDialog\s+\w+\s*[({]/, [0, 1]],
);
# Calls whose literal arguments are still the shown text (they only make a QString of it).
my %makesString = map { $_ => 1 } qw(QStringLiteral QString QLatin1String QLatin1StringView QStringView
  fromUtf8 fromLatin1 fromLocal8Bit QStringList);

# Comments and preprocessor lines become blanks (newlines kept, so offsets still give line numbers).
sub stripComments {
  my ($s) = @_;
  my $out = "";
  my $n = length $s;
  my $i = 0;
  while ($i < $n) {
    my $c = substr($s, $i, 1);
    my $two = substr($s, $i, 2);
    if ($two eq "//") {
      my $e = index($s, "\n", $i); $e = $n if $e < 0;
      $out .= " " x ($e - $i); $i = $e;
    } elsif ($two eq "/*") {
      my $e = index($s, "*/", $i + 2); $e = $n - 2 if $e < 0;
      (my $blank = substr($s, $i, $e + 2 - $i)) =~ s/[^\n]/ /g;
      $out .= $blank; $i = $e + 2;
    } elsif ($c eq "\"" || $c eq "\x27") {
      my $j = $i + 1;
      while ($j < $n && substr($s, $j, 1) ne $c) { $j += substr($s, $j, 1) eq "\\" ? 2 : 1; }
      $out .= substr($s, $i, $j + 1 - $i); $i = $j + 1;
    } elsif ($c eq "#" && ($i == 0 || substr($s, $i - 1, 1) eq "\n")) {
      my $e = index($s, "\n", $i); $e = $n if $e < 0;
      $out .= " " x ($e - $i); $i = $e;
    } else {
      $out .= $c; $i++;
    }
  }
  return $out;
}

# From the offset just after an opening bracket: the top-level arguments as [start, text], and the offset
# after the closing bracket.
sub arguments {
  my ($s, $i) = @_;
  my @args; my $depth = 0; my $start = $i; my $n = length $s;
  while ($i < $n) {
    my $c = substr($s, $i, 1);
    if ($c eq "\"" || $c eq "\x27") {
      my $j = $i + 1;
      while ($j < $n && substr($s, $j, 1) ne $c) { $j += substr($s, $j, 1) eq "\\" ? 2 : 1; }
      $i = $j + 1; next;
    }
    if ($c =~ /[(\[{]/) { $depth++; }
    elsif ($c =~ /[)\]}]/) {
      if ($depth == 0) { push @args, [$start, substr($s, $start, $i - $start)]; return (\@args, $i + 1); }
      $depth--;
    } elsif ($c eq "," && $depth == 0) {
      push @args, [$start, substr($s, $start, $i - $start)]; $start = $i + 1;
    }
    $i++;
  }
  return (\@args, $n);
}

# The literals an argument shows as they are, as [offset in the argument, literal]: not those inside another call (tr, arg, toString, ...), not
# those a comparison reads, not a lambda.
sub shownLiterals {
  my ($arg) = @_;
  return () if $arg =~ /^\s*\[/;
  $arg =~ s/(?:==|!=)\s*(?:(?:QLatin1String|QStringLiteral|QString|QLatin1StringView)\s*\(\s*)?"(?:[^"\\]|\\.)*"/== x/g;
  my @found; my $i = 0; my $n = length $arg;
  while ($i < $n) {
    my $c = substr($arg, $i, 1);
    if ($c eq "\"") {
      my $j = $i + 1;
      while ($j < $n && substr($arg, $j, 1) ne "\"") { $j += substr($arg, $j, 1) eq "\\" ? 2 : 1; }
      push @found, [$i, substr($arg, $i, $j + 1 - $i)]; $i = $j + 1; next;
    }
    if ($c eq "\x27") {
      my $j = $i + 1;
      while ($j < $n && substr($arg, $j, 1) ne "\x27") { $j += substr($arg, $j, 1) eq "\\" ? 2 : 1; }
      $i = $j + 1; next;
    }
    if (substr($arg, $i) =~ /^([A-Za-z_]\w*)\s*\(/) {
      my ($name, $len) = ($1, length $&);
      if ($makesString{$name}) { $i += $len; next; }
      my (undef, $after) = arguments($arg, $i + $len);
      $i = $after; next;
    }
    if (substr($arg, $i) =~ /^[A-Za-z_]\w*/) { $i += length $&; next; }
    $i++;
  }
  return grep { $_->[1] =~ /\p{L}/ } @found;
}

# The source text of a tr() / translate() call that starts or ends with a space (or starts with a comma) is a
# piece glued to another (tr("Stream: ") + message): a translator cannot move the other piece. One text with
# %1 can.
sub fragments {
  my ($text, $file) = @_;
  while ($text =~ /(?<!\w)(tr|translate|QT_TR_NOOP|QT_TRANSLATE_NOOP)\s*\(/g) {
    my ($name, $open) = ($1, pos($text));
    my ($args) = arguments($text, $open);
    pos($text) = $open;
    my $k = $name =~ /TRANSLATE|translate/ ? 1 : 0;
    next if $k >= @$args;
    my ($start, $arg) = @{$args->[$k]};
    my $source = join "", $arg =~ /"((?:[^"\\]|\\.)*)"/g;
    next unless $source =~ /^[\s,;]|\s$/;
    my $line = 1 + (substr($text, 0, $start) =~ tr/\n//);
    $line++ while substr($text, $start, 1) =~ /\s/ && substr($text, $start++, 1) eq "\n";
    print "$file:$line: $name: a piece glued to another: \"$source\"\n";
  }
}

for my $file (@ARGV) {
  open(my $fh, "<", $file) or die "cannot read $file: $!";
  local $/; my $text = stripComments(<$fh>); close $fh;
  for my $rule (@rules) {
    my ($re, $which) = @$rule;
    while ($text =~ /$re/g) {
      my $call = $&; my $open = pos($text);
      my ($args) = arguments($text, $open);
      pos($text) = $open;
      (my $name = $call) =~ s/\s*[({]$//;
      for my $k (@$which) {
        next if $k >= @$args;
        my ($start, $arg) = @{$args->[$k]};
        for my $found (shownLiterals($arg)) {
          my ($at, $literal) = @$found;
          my $line = 1 + (substr($text, 0, $start + $at) =~ tr/\n//);
          print "$file:$line: $name: $literal\n";
        }
      }
    }
  }
  fragments($text, $file);
}
' "$@"
}

# The checker itself: it must see an untranslated text in each shape, and none in translated ones.
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
cat >"$probe/shown.cpp" <<'CPP'
void f() {
  label->setText(QStringLiteral("Door open"));
  auto* run = new QPushButton("Run", this);
  setWindowTitle(open ? QStringLiteral("Open") : tr("Closed"));
  tabs->addTab(view,
               QString("Doors"));
  QMessageBox::warning(this, tr("Lock"), QStringLiteral("Really lock?"));
  statusBar()->showMessage(tr("Alarm not updated: ") + QStringLiteral("error"));
  status(QCoreApplication::translate("Console",
                                     "Stream: ") + message);
}
CPP
cat >"$probe/translated.cpp" <<'CPP'
// label->setText(QStringLiteral("only a comment"));
void f() {
  label->setText(tr("Door open"));
  clock->setText(now.toString(QStringLiteral("HH:mm:ss")));
  setWindowTitle(tr("%1 of %2").arg(QStringLiteral("x"), name));
  combo->addItem(tr("Granted"), QStringLiteral("grant"));
  header->setText(c == QLatin1String("lockdown") ? tr("Lockdown") : tr("Lock"));
  operator_->setText(role.isEmpty() ? name : name + QStringLiteral(" · ") + role);
  auto* b = new QPushButton(QCoreApplication::translate("Console", "Sign in"), this);
  connect(b, &QPushButton::clicked, this, [this] { setText(tr("x")); });
  menu.addAction(tr("Lock"), this, [this] { run(QStringLiteral("lock")); });
}
CPP
shown="$(check "$probe/shown.cpp" | sed "s|$probe/||" | sort -t: -k2,2n)"
expected='shown.cpp:2: setText: "Door open"
shown.cpp:3: new QPushButton: "Run"
shown.cpp:4: setWindowTitle: "Open"
shown.cpp:6: addTab: "Doors"
shown.cpp:7: QMessageBox::warning: "Really lock?"
shown.cpp:8: showMessage: "error"
shown.cpp:8: tr: a piece glued to another: "Alarm not updated: "
shown.cpp:10: translate: a piece glued to another: "Stream: "'
if [[ "$shown" != "$expected" ]]; then
  fail "the checker missed or misplaced an untranslated text in its probe; it found:"
  echo "$shown"
fi
if translated="$(check "$probe/translated.cpp")" && [[ -n "$translated" ]]; then
  fail "the checker flagged translated or non-text literals in its probe:"
  echo "$translated"
fi

mapfile -t files < <(find "$repo/desktop-console/src" -name '*.cpp' -o -name '*.hpp' | sort)
[[ ${#files[@]} -gt 20 ]] || fail "only ${#files[@]} console source files found under $repo/desktop-console/src"
found="$(check "${files[@]}" | sed "s|$repo/||" | sort -t: -k1,1 -k2,2n)"
if [[ -n "$found" ]]; then
  fail "texts shown to the guard without tr() / QCoreApplication::translate():"
  echo "$found"
else
  echo "ok   every text the console's setters show goes through translation (${#files[@]} files)"
fi

[[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }
