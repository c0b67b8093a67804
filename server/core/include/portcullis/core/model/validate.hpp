#pragma once
// Every problem of a site definition at once, each with the JSON path of the value at fault, so an admin
// fixes a file in one pass. Empty result: SiteModel::build will succeed.
#include "portcullis/core/model/problem.hpp"
#include "portcullis/core/model/site_definition.hpp"

namespace portcullis::core {

[[nodiscard]] Problems validate(const SiteDefinition& site);

}  // namespace portcullis::core
