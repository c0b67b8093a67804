#pragma once
// Stable strings of the asset enums (site file, JSON, stored records) and the shape checks shared by the
// site validation and the asset book.
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::core {

// "gpu_server", "storage_drive", "hsm", "network_device", "other".
[[nodiscard]] std::string_view to_string(AssetKind k) noexcept;
[[nodiscard]] std::optional<AssetKind> asset_kind_from(std::string_view s) noexcept;
// "received", "in_service", "maintenance", "decommissioning", "wiped", "destroyed", "disposed".
[[nodiscard]] std::string_view to_string(AssetLifecycle l) noexcept;
[[nodiscard]] std::optional<AssetLifecycle> asset_lifecycle_from(std::string_view s) noexcept;

// The shape of an EPC pure-identity URN (GS1 TDS): urn:epc:id:giai:<company digits>.<asset reference> or
// urn:epc:id:sgtin:<company digits>.<item digits>.<serial>, company + item = 13 digits. References and
// serials: 1..30 characters of the URN-safe GS1 set (letters, digits and - _ . ! ' ( ) * + , : ; = and %hh
// escapes).
[[nodiscard]] bool is_valid_epc(std::string_view epc) noexcept;
// The key under which an asset is found by its EPC, the same for the pure-identity URN and the GS1 Digital
// Link URI of one identifier (readers and EPCIS systems send either):
//   urn:epc:id:giai:0614141.A1  and  https://id.gs1.org/8004/0614141A1               -> "8004/0614141A1"
//   urn:epc:id:sgtin:0614141.812345.6789  and  https://id.gs1.org/01/80614141123458/21/6789
//                                                                          -> "01/80614141123458/21/6789"
// Any domain serves a Digital Link; %hh escapes in references and serials are decoded. Anything else is
// its own key.
[[nodiscard]] std::string epc_key(std::string_view epc);
// 64 lowercase hex digits.
[[nodiscard]] bool is_sha256_hex(std::string_view s) noexcept;

}  // namespace portcullis::core
