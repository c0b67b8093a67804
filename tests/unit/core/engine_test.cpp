#include "portcullis/core/engine.hpp"

#include <gtest/gtest.h>

namespace portcullis::core {
namespace {

std::shared_ptr<const SiteModel> tiny_site() {
  auto m = std::make_shared<SiteModel>();
  m->add_zone({ZoneId{"public"}, "Public", ZoneId{}, 0});
  m->add_zone({ZoneId{"lobby"}, "Lobby", ZoneId{"public"}, 1});
  m->add_portal({PortalId{"front"}, "Front door", ZoneId{"public"}, ZoneId{"lobby"}});
  m->add_reader({ReaderId{"front-in"}, PortalId{"front"}, ReaderSide::Entry});
  m->add_person({PersonId{"ada"}, "Ada"});
  m->add_card({CredentialId{"c1"}, PersonId{"ada"}, 12, 3456});
  return m;
}

DeviceEvent card_at(std::string reader, std::uint32_t facility, std::uint64_t number) {
  DeviceEvent e;
  e.device = DeviceId{"ctl-1"};
  e.seq = 1;
  e.payload = CardPresented{ReaderId{std::move(reader)}, Card{CardFormat::FacilityAndNumber, facility, number, ""}};
  return e;
}

TEST(Engine, KnownCardIsGranted) {
  Engine engine{tiny_site()};
  auto out = engine.apply(card_at("front-in", 12, 3456), Timestamp{});
  ASSERT_TRUE(out.decision);
  EXPECT_EQ(out.decision->verdict, Verdict::Grant);
  EXPECT_EQ(out.decision->person, PersonId{"ada"});
  EXPECT_EQ(out.decision->destination, ZoneId{"lobby"});
}

TEST(Engine, UnknownCardIsDenied) {
  Engine engine{tiny_site()};
  auto out = engine.apply(card_at("front-in", 12, 9999), Timestamp{});
  ASSERT_TRUE(out.decision);
  EXPECT_EQ(out.decision->verdict, Verdict::Deny);
  EXPECT_EQ(out.decision->reason, Reason::UnknownCredential);
}

TEST(Engine, UnknownReaderIsDenied) {
  Engine engine{tiny_site()};
  auto out = engine.apply(card_at("nowhere", 12, 3456), Timestamp{});
  ASSERT_TRUE(out.decision);
  EXPECT_EQ(out.decision->reason, Reason::UnknownReader);
}

}  // namespace
}  // namespace portcullis::core
