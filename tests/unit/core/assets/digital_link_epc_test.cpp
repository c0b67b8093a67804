// GS1 Digital Link URIs of registered assets find the same assets as their EPC URNs: they used to be
// answered "applied" by the EPCIS capture and match nothing.
#include <gtest/gtest.h>

#include "asset_site.hpp"
#include "portcullis/core/assets/asset_text.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

TEST(DigitalLinkEpc, GiaiUrnAndDigitalLinkShareOneKey) {
  EXPECT_EQ(epc_key("urn:epc:id:giai:0614141.GPU-1"), "8004/0614141GPU-1");
  EXPECT_EQ(epc_key("https://id.gs1.org/8004/0614141GPU-1"), "8004/0614141GPU-1");
  EXPECT_EQ(epc_key("https://example.com/8004/0614141GPU-1?linkType=all"), "8004/0614141GPU-1");
  EXPECT_EQ(epc_key("urn:epc:id:giai:0614141.A%2FB"), epc_key("https://id.gs1.org/8004/0614141A%2FB"));
}

TEST(DigitalLinkEpc, SgtinUrnAndDigitalLinkShareOneKey) {
  EXPECT_EQ(epc_key("urn:epc:id:sgtin:0614141.812345.6789"), "01/80614141123458/21/6789");
  EXPECT_EQ(epc_key("https://id.gs1.org/01/80614141123458/21/6789"), "01/80614141123458/21/6789");
  EXPECT_EQ(epc_key("https://id.gs1.org/01/0614141123452/21/6789"),
            epc_key("urn:epc:id:sgtin:0614141.012345.6789"));  // a GTIN-13 is padded to 14 digits
}

TEST(DigitalLinkEpc, AnythingElseIsItsOwnKey) {
  EXPECT_EQ(epc_key("urn:epc:id:sscc:0614141.1234567890"), "urn:epc:id:sscc:0614141.1234567890");
  EXPECT_EQ(epc_key("https://id.gs1.org/414/0614141000005"), "https://id.gs1.org/414/0614141000005");
}

TEST(DigitalLinkEpc, ReadsByDigitalLinkLocateTheRegisteredAsset) {
  AssetScenario s;
  EXPECT_EQ(s.read("rfid-rack-1", "https://id.gs1.org/8004/0614141GPU-1", 3), "moved rack:rack-1");
  EXPECT_EQ(s.read("rfid-rack-1", "https://id.gs1.org/8004/0614141NOBODY"), "unknown_epc");
  EXPECT_NE(s.book.asset_by_epc("https://id.gs1.org/01/80614141123458/21/6789"), nullptr);
  EXPECT_EQ(s.book.asset_by_epc("https://id.gs1.org/8004/0614141GPU-1"), s.book.asset_by_epc(kGpuEpc));
}

}  // namespace
}  // namespace portcullis::core
