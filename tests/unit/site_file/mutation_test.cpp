// Robustness: thousands of damaged copies of the example site never crash or throw; each is either rejected
// with at least one problem naming a JSON path, or is still a valid site that builds a model.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "portcullis/site_file/site_file.hpp"

namespace portcullis::site_file {
namespace {

std::string example() {
  std::ifstream in(PORTCULLIS_EXAMPLE_SITE);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_rejected_or_valid(const std::string& text, const std::string& what) {
  ParseResult parsed;
  ASSERT_NO_THROW(parsed = parse_site_json(text)) << what;
  if (parsed.problems.empty()) {
    EXPECT_TRUE(load_site_text(text).model) << what;
  } else {
    for (const auto& p : parsed.problems)
      EXPECT_EQ(p.json_path.rfind("$", 0), 0U) << what << ": " << p.json_path;
    EXPECT_FALSE(load_site_text(text).model) << what;
  }
}

TEST(Mutations, DamagedBytesAreRejectedNotFatal) {
  const std::string original = example();
  std::mt19937_64 rng{7};
  for (int i = 0; i < 1500; ++i) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = static_cast<char>(rng() % 128); break;
        case 1: text.erase(at, 1 + rng() % 8); break;
        default: text.resize(at); break;
      }
    }
    expect_rejected_or_valid(text, "byte mutation " + std::to_string(i));
  }
}

// Replaces one random value anywhere in the tree with a value of another type or an unknown reference.
TEST(Mutations, WrongTypesAndReferencesNameTheirPath) {
  const auto original = nlohmann::json::parse(example());
  std::mt19937_64 rng{11};
  const std::vector<nlohmann::json> replacements{nullptr,
                                                 7,
                                                 -1,
                                                 3.5,
                                                 "x",
                                                 "nowhere",
                                                 true,
                                                 nlohmann::json::array(),
                                                 nlohmann::json::object(),
                                                 nlohmann::json::array({1, "a"})};
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    nlohmann::json j = original;
    nlohmann::json* node = &j;
    while (node->is_structured() && !node->empty() && rng() % 5 != 0) {
      auto it = node->begin();
      std::advance(it, static_cast<long>(rng() % node->size()));
      node = &*it;
    }
    *node = replacements[rng() % replacements.size()];
    const std::string text = j.dump();
    expect_rejected_or_valid(text, "value mutation " + std::to_string(i));
    rejected += parse_site_json(text).problems.empty() ? 0 : 1;
  }
  EXPECT_GT(rejected, 1500);
}

}  // namespace
}  // namespace portcullis::site_file
