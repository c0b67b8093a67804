#include "portcullis/core/assets/asset_book.hpp"

#include <type_traits>

namespace portcullis::core {

const char* type_name(const AssetAction& action) noexcept {
  return std::visit(
      [](const auto& a) -> const char* {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, RegisterAsset>) return "register_asset";
        if constexpr (std::is_same_v<T, UpdateAsset>) return "update_asset";
        if constexpr (std::is_same_v<T, ChangeLifecycle>) return "change_lifecycle";
        if constexpr (std::is_same_v<T, RecordWipe>) return "record_wipe";
        if constexpr (std::is_same_v<T, RecordDestruction>) return "record_destruction";
        if constexpr (std::is_same_v<T, RecordDisposal>) return "record_disposal";
        if constexpr (std::is_same_v<T, RequestMoveOrder>) return "request_move_order";
        if constexpr (std::is_same_v<T, ApproveMoveOrder>) return "approve_move_order";
        if constexpr (std::is_same_v<T, CheckSeal>) return "check_seal";
        if constexpr (std::is_same_v<T, FitSeal>) return "fit_seal";
      },
      action);
}

std::string_view to_string(SealStatus s) noexcept {
  switch (s) {
    case SealStatus::Intact: return "intact";
    case SealStatus::Broken: return "broken";
    case SealStatus::Replaced: return "replaced";
  }
  return "broken";
}

std::optional<SealStatus> seal_status_from(std::string_view s) noexcept {
  if (s == "intact") return SealStatus::Intact;
  if (s == "broken") return SealStatus::Broken;
  if (s == "replaced") return SealStatus::Replaced;
  return std::nullopt;
}

std::string_view to_string(MoveOrderStatus s) noexcept {
  switch (s) {
    case MoveOrderStatus::Requested: return "requested";
    case MoveOrderStatus::Approved: return "approved";
    case MoveOrderStatus::Completed: return "completed";
  }
  return "requested";
}

std::string_view to_string(ReadResult r) noexcept {
  switch (r) {
    case ReadResult::UnknownReader: return "unknown_reader";
    case ReadResult::UnknownEpc: return "unknown_epc";
    case ReadResult::Duplicate: return "duplicate";
    case ReadResult::Unchanged: return "unchanged";
    case ReadResult::Moved: return "moved";
    case ReadResult::Confirmed: return "confirmed";
  }
  return "unknown_epc";
}

}  // namespace portcullis::core
