#pragma once
// A string identifier that cannot be confused with an identifier of another kind:
// a DoorId cannot be passed where a ZoneId is expected (after Chromium's StrongAlias).
#include <compare>
#include <functional>
#include <string>
#include <utility>

namespace portcullis::core {

template <class Tag>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(std::string value) : value_(std::move(value)) {}

  [[nodiscard]] const std::string& str() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;

 private:
  std::string value_;
};

using SiteId = StrongId<struct SiteIdTag>;
using DeviceId = StrongId<struct DeviceIdTag>;
using ZoneId = StrongId<struct ZoneIdTag>;
using PortalId = StrongId<struct PortalIdTag>;
using ReaderId = StrongId<struct ReaderIdTag>;
using RackId = StrongId<struct RackIdTag>;
using PersonId = StrongId<struct PersonIdTag>;
using GroupId = StrongId<struct GroupIdTag>;
using CredentialId = StrongId<struct CredentialIdTag>;
using GrantId = StrongId<struct GrantIdTag>;
using ScheduleId = StrongId<struct ScheduleIdTag>;
using MantrapId = StrongId<struct MantrapIdTag>;
using AssetId = StrongId<struct AssetIdTag>;
using OperatorId = StrongId<struct OperatorIdTag>;
using SealId = StrongId<struct SealIdTag>;
using MoveOrderId = StrongId<struct MoveOrderIdTag>;

}  // namespace portcullis::core

template <class Tag>
struct std::hash<portcullis::core::StrongId<Tag>> {
  std::size_t operator()(const portcullis::core::StrongId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
