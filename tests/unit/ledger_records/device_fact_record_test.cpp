// The payload of security.device_auth_failed (a device request refused at the door of the API), pinned byte
// for byte: it is hashed into the chain, so a failure here is a new record version, never an expected value
// to edit. The path and the remote address come straight from the request.
#include <gtest/gtest.h>

#include <string>

#include "portcullis/ledger/records/device_fact_record.hpp"

namespace portcullis::json {
namespace {

TEST(DeviceFactRecord, AuthFailureFactNamesPathReasonAndRemote) {
  EXPECT_EQ(device_auth_failed_fact_json("/api/v1/events", "unknown_device", "192.0.2.4:40000"),
            R"({"path":"/api/v1/events","reason":"unknown_device","remote":"192.0.2.4:40000"})");
}

TEST(DeviceFactRecord, AuthFailureFactEscapesRequestTextAsCheckedUtf8) {
  // Quote, backslash, newline, tab, backspace, form feed, U+0001, an e with acute accent, a lone 0xff byte.
  const std::string awkward = "q\"b\\s\n\t\b\f\x01 caf\xc3\xa9 \xff end";
  EXPECT_EQ(
      device_auth_failed_fact_json(awkward, awkward, awkward),
      R"({"path":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","reason":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end","remote":"q\"b\\s\n\t\u0008\u000c\u0001 café \ufffd end"})");
  EXPECT_EQ(device_auth_failed_fact_json("", "", ""), R"({"path":"","reason":"","remote":""})");
}

}  // namespace
}  // namespace portcullis::json
