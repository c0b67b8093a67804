// Every sealed record is storable: PostgreSQL refuses invalid UTF-8 and NUL in text, and one refused
// record failed the whole group commit it was part of.
#include <gtest/gtest.h>

#include "portcullis/core/text/utf8.hpp"
#include "portcullis/ledger/event_record.hpp"

namespace portcullis::ledger {
namespace {

TEST(StorableRecord, SealReplacesInvalidUtf8AndNulInEveryTextColumn) {
  EventRecord record;
  record.site_id = "site";
  record.source = Source::Server;
  record.device_id = std::string("dev\xFF");
  record.type = "security.device_auth_failed";
  record.payload = "{\"path\":\"/api/v1/people/\xFF\xFE\"}";
  record.outcome = std::string("{\"x\":\"a\0b\"}", 12);
  seal(record, Hash{});
  for (const auto* text :
       {&record.site_id, &*record.device_id, &record.type, &record.payload, &record.outcome})
    EXPECT_TRUE(core::text::is_storable_text(*text)) << *text;
  EXPECT_EQ(record.payload, "{\"path\":\"/api/v1/people/\xEF\xBF\xBD\xEF\xBF\xBD\"}");
  EXPECT_EQ(record.hash, chain_hash(Hash{}, record));  // the hash covers what is stored
}

TEST(StorableRecord, StorableRecordIsSealedUnchanged) {
  EventRecord record;
  record.site_id = "site";
  record.type = "door.event";
  record.payload = "{\"name\":\"caf\xC3\xA9 \xF0\x9F\x94\x92\"}";
  record.outcome = "{}";
  const auto before = record.payload;
  seal(record, Hash{});
  EXPECT_EQ(record.payload, before);
}

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncatedSequences) {
  EXPECT_TRUE(core::text::is_valid_utf8("plain \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(core::text::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(core::text::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(core::text::is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(core::text::is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

}  // namespace
}  // namespace portcullis::ledger
