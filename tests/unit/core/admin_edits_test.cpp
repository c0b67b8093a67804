// Admin edits of people, credentials and group membership (admin_change.hpp): validated like a site file,
// effective at the next decision, replayable, and kept across a site reload.
#include <gtest/gtest.h>

#include "test_site.hpp"

namespace portcullis::core {
namespace {
using namespace testing;

class AdminEditsTest : public ::testing::Test {
 protected:
  AdminEditsTest() {
    definition = std::make_shared<const SiteDefinition>(test_site_definition());
    EXPECT_TRUE(engine.load_site(definition).empty());
  }
  Outcome at(const DeviceEvent& e, Duration after = 1s) {
    t += after;
    return engine.apply(e, t);
  }
  Outcome edit(AdminEdit e) { return engine.apply(OperatorAction{AdminChange{std::move(e)}}, t, admin); }
  static CardDef badge(const char* id, std::uint64_t number) {
    return CardDef{CredentialId{id}, CardFormat::FacilityAndNumber, 10, number, "", false};
  }

  std::shared_ptr<const SiteDefinition> definition;
  std::shared_ptr<const FakePinVerifier> pins = std::make_shared<FakePinVerifier>();
  Engine engine{build_or_throw(test_site_definition()), pins};
  Timestamp t = monday_10_local();
  Actor admin{OperatorId{"admin-1"}, PersonId{}, true};
};

TEST_F(AdminEditsTest, NewPersonWithBadgeAndGroupIsGrantedAtTheNextDecision) {
  EXPECT_EQ(summary(at(card("front-in", 50))), "deny/unknown_credential");
  EXPECT_EQ(summary(edit(UpsertPerson{PersonId{"zoe"}, "Zoe", "engineer", {}})), "grant/applied");
  EXPECT_EQ(summary(edit(AddCard{PersonId{"zoe"}, badge("zoe-card", 50)})), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 50))), "deny/no_grant");
  EXPECT_EQ(summary(edit(AddGroupMember{GroupId{"staff"}, PersonId{"zoe"}})), "grant/applied");
  EXPECT_EQ(summary(at(card("front-in", 50))), "grant/granted");
  EXPECT_EQ(engine.model().person(engine.model().person_index(PersonId{"zoe"})).name, "Zoe");
  EXPECT_EQ(summary(edit(RemoveGroupMember{GroupId{"staff"}, PersonId{"zoe"}})), "grant/applied");
  EXPECT_EQ(summary(at(card("office-in", 50))), "deny/no_grant");
}

TEST_F(AdminEditsTest, DuplicateBadgeIsRefusedNamingTheFieldAndChangesNothing) {
  const auto before = engine.state();
  const auto model = engine.shared_model();
  const auto out = edit(AddCard{PersonId{"bob"}, badge("bob-second", 1)});  // ada's badge number
  EXPECT_EQ(summary(out), "deny/duplicate_id");
  const auto& report = engine.last_admin_report();
  EXPECT_EQ(report.refusal, AdminReport::Refusal::Conflict);
  ASSERT_FALSE(report.problems.empty());
  EXPECT_NE(report.problems.front().json_path.find("$.people[1].cards[1]"), std::string::npos)
      << report.problems.front().json_path;
  EXPECT_NE(report.problems.front().message.find("duplicate badge"), std::string::npos);
  EXPECT_EQ(engine.state(), before);
  EXPECT_EQ(engine.shared_model(), model);
  EXPECT_EQ(summary(at(card("front-in", 1))), "grant/granted");  // still ada's
}

TEST_F(AdminEditsTest, UnknownReferencesAreRefused) {
  EXPECT_EQ(summary(edit(AddCard{PersonId{"nobody"}, badge("x", 99)})), "deny/unknown_subject");
  EXPECT_EQ(engine.last_admin_report().refusal, AdminReport::Refusal::NotFound);
  EXPECT_EQ(engine.last_admin_report().problems.front().json_path, "person");
  EXPECT_EQ(summary(edit(AddGroupMember{GroupId{"ghosts"}, PersonId{"bob"}})), "deny/unknown_subject");
  EXPECT_EQ(engine.last_admin_report().problems.front().json_path, "group");
  EXPECT_EQ(summary(edit(AddGroupMember{GroupId{"staff"}, PersonId{"bob"}})), "deny/duplicate_id");
  EXPECT_EQ(summary(edit(RemoveCredential{PersonId{"bob"}, CredentialId{"ada-card"}, "wrong person"})),
            "deny/unknown_subject");
  EXPECT_EQ(summary(edit(AddCard{PersonId{"bob"}, badge("ada-card", 77)})), "deny/duplicate_id");
  // A Wiegand frame that does not decode to its facility/number: the site file's own check.
  CardDef bad = badge("bob-h10301", 77);
  bad.format = CardFormat::H10301_26;
  bad.raw_bits = "11111111111111111111111111";
  EXPECT_EQ(summary(edit(AddCard{PersonId{"bob"}, bad})), "deny/unknown_subject");
  EXPECT_EQ(engine.last_admin_report().refusal, AdminReport::Refusal::Invalid);
  EXPECT_FALSE(engine.last_admin_report().problems.empty());
}

TEST_F(AdminEditsTest, RemovedCredentialAndClearanceApplyToTheNextDecision) {
  EXPECT_EQ(summary(at(card("front-in", 2))), "grant/granted");
  EXPECT_EQ(summary(edit(RemoveCredential{PersonId{"bob"}, CredentialId{"bob-card"}, "lost"})),
            "grant/applied");
  EXPECT_EQ(engine.last_admin_report().person_before->cards.size(), 1U);
  EXPECT_TRUE(engine.last_admin_report().person_after->cards.empty());
  EXPECT_EQ(summary(at(card("front-out", 2))), "deny/unknown_credential");
  // Carl's clearance expired in 2020: renewing it lets him into the hall (badge + PIN).
  at(card("front-in", 4));
  at(card("office-in", 4));
  EXPECT_EQ(summary(at(card("hall-in", 4))), "deny/clearance_expired");
  ClearanceDef renewed{ClearanceStatus::Cleared, utc(2031, 1, 1, 0)};
  EXPECT_EQ(summary(edit(UpsertPerson{PersonId{"carl"}, "Carl", "engineer", renewed})), "grant/applied");
  EXPECT_EQ(summary(at(card("hall-in", 4))), "pending/missing_factor/pin");
  EXPECT_EQ(summary(at(pin("hall-in", "1111"))), "grant/granted");
}

TEST_F(AdminEditsTest, NewPinReplacesTheOldOneAndAPendingAttemptSurvivesAnEdit) {
  at(card("front-in", 1));
  at(card("office-in", 1));
  EXPECT_EQ(summary(at(card("hall-in", 1))), "pending/missing_factor/pin");
  // An unrelated edit while ada is mid-attempt does not abandon her attempt.
  EXPECT_EQ(summary(edit(UpsertPerson{PersonId{"zoe"}, "Zoe", "", {}})), "grant/applied");
  EXPECT_EQ(summary(edit(SetPin{PersonId{"ada"}, "plain:2468", false})), "grant/applied");
  EXPECT_EQ(summary(at(pin("hall-in", "2468"))), "grant/granted");
}

TEST_F(AdminEditsTest, ReplayRebuildsTheSameStateAndModel) {
  struct Step {
    bool is_edit;
    AdminEdit edit;
    DeviceEvent event;
  };
  std::vector<Step> steps{
      {true, UpsertPerson{PersonId{"zoe"}, "Zoe", "engineer", {}}, {}},
      {true, AddCard{PersonId{"zoe"}, badge("zoe-card", 50)}, {}},
      {true, AddGroupMember{GroupId{"staff"}, PersonId{"zoe"}}, {}},
      {false, {}, card("front-in", 50)},
      {true, RemoveCredential{PersonId{"bob"}, CredentialId{"bob-card"}, "lost"}, {}},
      {false, {}, card("front-in", 2)},
  };
  std::vector<Outcome> first;
  for (const auto& s : steps) first.push_back(s.is_edit ? edit(s.edit) : at(s.event));
  Engine replayed{build_or_throw(test_site_definition()), pins};
  ASSERT_TRUE(replayed.load_site(definition).empty());
  Timestamp t2 = monday_10_local();
  std::vector<Outcome> second;
  for (const auto& s : steps) {
    if (s.is_edit) {
      second.push_back(replayed.apply(OperatorAction{AdminChange{s.edit}}, t2, admin));
    } else {
      t2 += 1s;
      second.push_back(replayed.apply(s.event, t2));
    }
  }
  EXPECT_EQ(first, second);
  EXPECT_EQ(engine.state(), replayed.state());
  EXPECT_EQ(*engine.effective_definition(), *replayed.effective_definition());
}

TEST_F(AdminEditsTest, EditsAreKeptAcrossASiteReloadAndLayingThemTwiceChangesNothing) {
  edit(UpsertPerson{PersonId{"zoe"}, "Zoe", "engineer", {}});
  edit(AddCard{PersonId{"zoe"}, badge("zoe-card", 50)});
  edit(AddGroupMember{GroupId{"staff"}, PersonId{"zoe"}});
  edit(RemoveCredential{PersonId{"bob"}, CredentialId{"bob-card"}, "lost"});
  // A new version of the file (a new portal elsewhere): the edits are laid over it.
  auto v2 = test_site_definition();
  v2.version = "2";
  auto reloaded = engine.load_site(std::make_shared<const SiteDefinition>(v2));
  EXPECT_TRUE(reloaded.empty());
  EXPECT_EQ(engine.model().version(), "2");
  EXPECT_EQ(summary(at(card("front-in", 50))), "grant/granted");
  EXPECT_EQ(summary(at(card("front-in", 2))), "deny/unknown_credential");
  // The admin exported the effective site (zoe included) and loads it back: zoe is not added twice.
  auto exported = *engine.effective_definition();
  exported.version = "3";
  EXPECT_TRUE(engine.load_site(std::make_shared<const SiteDefinition>(exported)).empty());
  EXPECT_EQ(engine.effective_definition()->people.size(), exported.people.size());
  EXPECT_EQ(summary(at(card("front-out", 50))), "grant/granted");
}

TEST_F(AdminEditsTest, ABadReloadChangesNothing) {
  auto broken = test_site_definition();
  broken.version = "2";
  broken.portals[0].to = ZoneId{"nowhere"};
  const auto model = engine.shared_model();
  const auto problems = engine.load_site(std::make_shared<const SiteDefinition>(broken));
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.front().json_path, "$.portals[0].to");
  EXPECT_EQ(engine.shared_model(), model);
  EXPECT_EQ(engine.model().version(), "1");
}

TEST(AdminEditsWithoutDefinition, AreRefused) {
  Engine engine{build_or_throw(test_site_definition())};
  const auto out = engine.apply(OperatorAction{AdminChange{UpsertPerson{PersonId{"zoe"}, "Zoe", "", {}}}},
                                monday_10_local(), Actor{OperatorId{"a"}, PersonId{}, true});
  EXPECT_EQ(out.decision->verdict, Verdict::Deny);
  EXPECT_EQ(engine.last_admin_report().refusal, AdminReport::Refusal::Invalid);
}

}  // namespace
}  // namespace portcullis::core
