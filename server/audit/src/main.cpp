// portcullis-audit: the auditor's offline tools. verify-chain recomputes the hash chain.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "portcullis/audit/chain_verifier.hpp"

namespace {

int usage() {
  std::cerr << "usage: portcullis-audit verify-chain [--site SITE] [--database CONNINFO]\n"
               "  the database defaults to PORTCULLIS_AUDIT_DATABASE, then PORTCULLIS_DATABASE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] != "verify-chain") return usage();
  std::string site = "main";
  std::string database;
  if (const char* env = std::getenv("PORTCULLIS_AUDIT_DATABASE")) database = env;
  else if (const char* app = std::getenv("PORTCULLIS_DATABASE")) database = app;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--site" && i + 1 < args.size()) site = args[++i];
    else if (args[i] == "--database" && i + 1 < args.size()) database = args[++i];
    else return usage();
  }
  if (database.empty()) return usage();
  try {
    const auto report = portcullis::audit::verify_chain(database, site);
    if (report.intact) {
      std::cout << "chain intact: site " << site << ", " << report.rows << " events, head " << report.head_hash
                << '\n';
      return 0;
    }
    std::cout << "chain BROKEN: site " << site << ", first bad row site_seq " << *report.first_bad_seq << ": "
              << report.problem << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "portcullis-audit: " << e.what() << '\n';
    return 3;
  }
}
