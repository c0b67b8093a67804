// portcullis-console: the guard console. All behaviour lives in portcullis_console_lib.
#include "console_app.hpp"

int main(int argc, char** argv) {
  return portcullis::console::runConsole(argc, argv);
}
