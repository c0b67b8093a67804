// The whole pure path the server will run, on the example data center: documents exactly as epcis2.js sent
// them -> parse -> map -> to_core -> the core AssetBook. Registration, an RFID observation that places the
// assets, and a witnessed destruction of a wiped asset all go through; a second destruction is refused.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/site_model.hpp"
#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/mapping.hpp"
#include "portcullis/epcis/to_core.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::epcis {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string data(const std::string& name) {
  return read_text(std::filesystem::path(PORTCULLIS_EPCIS_TEST_DATA) / name);
}

class EpcisAssetBookFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = site_file::parse_site_json(read_text(PORTCULLIS_EXAMPLE_SITE));
    ASSERT_TRUE(parsed.problems.empty()) << parsed.problems.size() << " site problems";
    definition_ = parsed.definition;
    auto built = core::SiteModel::build(definition_);
    ASSERT_TRUE(built.model);
    book_ = std::make_unique<core::AssetBook>(built.model, t0_);
    directory_ = directory_from(definition_);
  }

  std::vector<MappedEvent> map_doc(const std::string& file) {
    const auto doc = parse_capture_document(data(file));
    EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().text());
    if (!doc.ok()) return {};
    auto mapped = map_document(*doc, directory_);
    EXPECT_TRUE(mapped.ok()) << (mapped.ok() ? "" : mapped.error().text());
    return mapped.ok() ? std::move(mapped).value() : std::vector<MappedEvent>{};
  }

  core::AssetOutcome act(const core::AssetAction& action) {
    now_ += std::chrono::seconds{1};
    return book_->apply(action, now_, actor_);
  }

  core::SiteDefinition definition_;
  std::unique_ptr<core::AssetBook> book_;
  SiteDirectory directory_;
  core::Timestamp t0_ = core::from_unix_micros(1'795'000'000'000'000);
  core::Timestamp now_ = t0_;
  core::Actor actor_{core::OperatorId{"op-dana"}, core::PersonId{"dana-kowalski"}, true};
};

TEST_F(EpcisAssetBookFlow, CommissionObserveDestroy) {
  // Commissioning: two assets registered.
  const auto commissioned = map_doc("epcis2js_commission.json");
  ASSERT_EQ(commissioned.size(), 2u);
  for (const auto& m : commissioned) {
    for (const auto& r : m.registrations) {
      const auto outcome = act(to_core(r, m.event_id));
      ASSERT_TRUE(outcome.decision.has_value());
      EXPECT_EQ(outcome.decision->verdict, core::Verdict::Grant) << outcome.detail;
    }
  }
  ASSERT_NE(book_->asset_by_epc("urn:epc:id:giai:4012345.E2E-0001-1"), nullptr);
  const auto* second = book_->asset_by_epc("urn:epc:id:giai:4012345.E2E-0001-2");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->def.id, core::AssetId{"E2E-0001-2"});
  EXPECT_EQ(second->def.home_rack, core::RackId{"rack-c01"});
  EXPECT_EQ(second->def.lifecycle, core::AssetLifecycle::Received);

  // OBSERVE at the handheld audit station, in rack C01: the assets are placed there.
  const auto observed = parse_capture_event(data("epcis2js_observe_event.json"));
  ASSERT_TRUE(observed.ok()) << observed.error().text();
  const auto mapped = map_event(*observed, directory_);
  ASSERT_TRUE(mapped.ok()) << mapped.error().text();
  for (const auto& o : mapped->observations) {
    now_ += std::chrono::seconds{1};
    const auto result = book_->observe(to_core(o, core::DeviceId{"rfid-handheld-1"}), now_);
    EXPECT_TRUE(result.result == core::ReadResult::Moved || result.result == core::ReadResult::Confirmed)
        << core::to_string(result.result);
  }
  EXPECT_EQ(book_->asset_by_epc("urn:epc:id:giai:4012345.E2E-0001-2")->location.rack,
            core::RackId{"rack-c01"});

  // Destruction needs a wiped asset: the operator path gets it there first.
  const core::AssetId id = second->def.id;
  EXPECT_EQ(act(core::ChangeLifecycle{id, core::AssetLifecycle::InService, "racked"}).decision->verdict,
            core::Verdict::Grant);
  EXPECT_EQ(
      act(core::ChangeLifecycle{id, core::AssetLifecycle::Decommissioning, "end of life"}).decision->verdict,
      core::Verdict::Grant);
  EXPECT_EQ(act(core::RecordWipe{id, "nist-800-88-purge", std::string(64, 'b'), "wiped"}).decision->verdict,
            core::Verdict::Grant);

  const auto destroyed = map_doc("epcis2js_destroy.json");
  ASSERT_EQ(destroyed.size(), 1u);
  ASSERT_EQ(destroyed[0].destructions.size(), 1u);
  const auto& d = destroyed[0].destructions[0];
  const auto* asset = book_->asset_by_epc(d.epc);
  ASSERT_NE(asset, nullptr);
  const auto outcome = act(to_core(d, asset->def.id, destroyed[0].event_id));
  ASSERT_TRUE(outcome.decision.has_value());
  EXPECT_EQ(outcome.decision->verdict, core::Verdict::Grant) << outcome.detail;
  EXPECT_EQ(book_->asset(id)->def.lifecycle, core::AssetLifecycle::Destroyed);

  // The same destruction again is the core's refusal (already destroyed), not the adapter's.
  const auto again = act(to_core(d, asset->def.id, destroyed[0].event_id));
  ASSERT_TRUE(again.decision.has_value());
  EXPECT_EQ(again.decision->verdict, core::Verdict::Deny);
}

}  // namespace
}  // namespace portcullis::epcis
