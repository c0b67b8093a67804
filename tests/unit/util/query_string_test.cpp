#include "portcullis/util/query_string.hpp"

#include <gtest/gtest.h>

namespace portcullis::util {
namespace {

TEST(QueryString, DecodesParametersInOrder) {
  const auto q = parse_query("person=P%C3%A9ter&from=2026-11-27T10%3A00%3A00%2B01%3A00&flag&empty=");
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->all().size(), 4U);
  EXPECT_EQ(*q->find("person"), "P\xC3\xA9ter");
  EXPECT_EQ(*q->find("from"), "2026-11-27T10:00:00+01:00");
  EXPECT_EQ(*q->find("flag"), "");
  EXPECT_EQ(*q->find("empty"), "");
  EXPECT_EQ(q->find("absent"), nullptr);
  EXPECT_EQ(q->value_or_empty("absent"), "");
  EXPECT_EQ(q->all()[0].first, "person");
}

TEST(QueryString, PlusIsLiteralInQueriesUnlessAsked) {
  EXPECT_EQ(*parse_query("t=a+b")->find("t"), "a+b");
  EXPECT_EQ(percent_decode("a+b", PlusSign::Space), "a b");
}

TEST(QueryString, SkipsEmptyPartsAndAcceptsAnEmptyQuery) {
  EXPECT_TRUE(parse_query("")->all().empty());
  EXPECT_EQ(parse_query("&&a=1&")->all().size(), 1U);
}

TEST(QueryString, RefusesARepeatedKeyNamingIt) {
  const auto q = parse_query("zone=a&zone=b");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error(), (QueryError{"zone", "given more than once"}));
  // The same key spelled with an escape is the same key.
  EXPECT_EQ(parse_query("zone=a&%7Aone=b").error().field, "zone");
}

TEST(QueryString, RefusesAnEmptyKey) {
  EXPECT_EQ(parse_query("=value").error(), (QueryError{"query", "a parameter without a name"}));
}

TEST(QueryString, RefusesMalformedEscapesInvalidUtf8AndControls) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "a=%FF", "a=%C3", "a=%00", "a=%0A", "a=%7F", "%=1"}) {
    const auto q = parse_query(bad);
    ASSERT_FALSE(q) << bad;
    EXPECT_EQ(q.error().field, "query") << bad;
  }
}

TEST(QueryString, RefusesQueriesOverTheLimits) {
  const QueryLimits small{16, 2};
  EXPECT_EQ(parse_query(std::string(17, 'a'), small).error(),
            (QueryError{"query", "longer than 16 characters"}));
  EXPECT_EQ(parse_query("a=1&b=2&c=3", small).error(), (QueryError{"query", "more than 2 parameters"}));
  EXPECT_TRUE(parse_query("a=1&b=2", small));
}

}  // namespace
}  // namespace portcullis::util
