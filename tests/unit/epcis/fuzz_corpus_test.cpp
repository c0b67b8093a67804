// Replays the committed EPCIS fuzz seed corpus through the fuzz target's own invariant checks, so every
// input added to server/epcis/fuzz/corpus (including minimised crash reproducers) stays a regression
// test in the regular gcc build, without clang or libFuzzer.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

// The fuzz source is compiled into this test with its entry point renamed (see CMakeLists).
extern "C" int portcullis_fuzz_epcis_capture(const std::uint8_t* data, std::size_t size);

TEST(EpcisFuzzCorpus, SeedsKeepTheInvariants) {
  std::size_t count = 0;
  for (const auto& file : std::filesystem::directory_iterator(PORTCULLIS_EPCIS_CORPUS_DIR)) {
    if (!file.is_regular_file()) continue;
    std::ifstream in(file.path(), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    // The target aborts on a violated invariant; reaching the next line means it held.
    portcullis_fuzz_epcis_capture(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++count;
  }
  EXPECT_GE(count, 5u);
}
