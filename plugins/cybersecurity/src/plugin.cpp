// The cybersecurity plugin: task types for a hospital security analyst.
#include <assay/sdk.hpp>

#include "cvss_score.hpp"
#include "log_triage.hpp"
#include "patch_priority.hpp"
#include "phishing_triage.hpp"
#include "segmentation_rules.hpp"

ASSAY_PLUGIN("cybersecurity", "1.2.1", "cybersecurity",
             "Hospital security analyst tasks: CVSS v3.1 rating, Windows log triage, network segmentation, phishing triage, "
             "patch prioritisation",
             assay::cyber::CvssScore, assay::cyber::LogTriage, assay::cyber::SegmentationRules, assay::cyber::PhishingTriage,
             assay::cyber::PatchPriority)
