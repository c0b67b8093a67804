// Replays the committed fuzz seed corpora through the fuzz targets' own checks, so every input
// added to device-adapters/fuzz/corpus (including minimised crash reproducers) stays a regression
// test in the regular gcc build, without clang or libFuzzer.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// The fuzz sources are compiled into this test with their entry point renamed (see CMakeLists).
extern "C" int portcullis_fuzz_wiegand(const std::uint8_t* data, std::size_t size);
extern "C" int portcullis_fuzz_osdp_frame(const std::uint8_t* data, std::size_t size);
extern "C" int portcullis_fuzz_osdp_deframer(const std::uint8_t* data, std::size_t size);
extern "C" int portcullis_fuzz_osdp_secure_channel(const std::uint8_t* data, std::size_t size);

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

std::size_t replay(const std::string& target, Entry entry) {
  const std::filesystem::path dir = std::filesystem::path(PORTCULLIS_FUZZ_CORPUS_DIR) / target;
  std::size_t count = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (!file.is_regular_file()) continue;
    std::ifstream in(file.path(), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    // Each target aborts on a violated invariant; reaching the next line means it held.
    entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++count;
  }
  return count;
}

}  // namespace

TEST(FuzzCorpus, WiegandSeedsHoldTheirInvariants) {
  EXPECT_GT(replay("fuzz_wiegand", portcullis_fuzz_wiegand), 0U);
}

TEST(FuzzCorpus, OsdpFrameSeedsHoldTheirInvariants) {
  EXPECT_GT(replay("fuzz_osdp_frame", portcullis_fuzz_osdp_frame), 0U);
}

TEST(FuzzCorpus, OsdpDeframerSeedsHoldTheirInvariants) {
  EXPECT_GT(replay("fuzz_osdp_deframer", portcullis_fuzz_osdp_deframer), 0U);
}

TEST(FuzzCorpus, OsdpSecureChannelSeedsHoldTheirInvariants) {
  EXPECT_GT(replay("fuzz_osdp_secure_channel", portcullis_fuzz_osdp_secure_channel), 0U);
}
