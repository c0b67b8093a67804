// portcullis-hash-pin: prints the site-file hash of a PIN read from standard input (never from argv, which
// other users can see in the process list). Usage: portcullis-hash-pin [iterations] < pin.txt
#include <cstdlib>
#include <iostream>
#include <string>

#include "pin_hash.hpp"

int main(int argc, char** argv) {
  std::uint32_t iterations = portcullis::crypto::kDefaultPinIterations;
  if (argc > 1) iterations = static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10));
  std::string pin;
  std::getline(std::cin, pin);
  const auto hash = portcullis::crypto::hash_pin(pin, iterations);
  if (!hash) {
    std::cerr << "cannot hash: iterations must be " << portcullis::crypto::kMinPinIterations << ".."
              << portcullis::crypto::kMaxPinIterations << " and the PIN at most 64 characters\n";
    return 1;
  }
  std::cout << *hash << "\n";
  return 0;
}
