// The device-maintenance plugin: task types for biomedical equipment technicians.
#include <assay/sdk.hpp>

#include "electrical_safety.hpp"
#include "performance_verification.hpp"
#include "pm_planning.hpp"
#include "troubleshooting.hpp"

ASSAY_PLUGIN("device-maintenance", "1.0.0", "clinical-engineering",
             "Biomedical equipment tasks: electrical safety records, performance verification, troubleshooting order, "
             "maintenance planning",
             device::ElectricalSafety, device::PerformanceVerification, device::Troubleshooting, device::PmPlanning)
