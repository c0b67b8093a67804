#pragma once
// Draws a report's charts (report_charts.hpp) at the start of its PDF, with cairo and pango.
#include <string>

#include "portcullis/audit/pdf_report.hpp"
#include "portcullis/audit/report_charts.hpp"

namespace portcullis::audit::detail {

// `time_zone` names the zone the hours and days are read in (the charts' captions say it).
void draw_charts(PdfReport& pdf, const ReportCharts& charts, const std::string& time_zone);

}  // namespace portcullis::audit::detail
