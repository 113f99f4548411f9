// The device-maintenance plugin: task types for biomedical equipment technicians.
#include <assay/sdk.hpp>

#include "electrical_safety.hpp"
#include "performance_verification.hpp"
#include "pm_planning.hpp"
#include "troubleshooting.hpp"
#include "work_order.hpp"

ASSAY_PLUGIN("device-maintenance", "1.3.0", "clinical-engineering",
             "Biomedical equipment tasks: electrical safety records, performance verification, troubleshooting order, "
             "maintenance planning, work-order review",
             device::ElectricalSafety, device::PerformanceVerification, device::Troubleshooting, device::PmPlanning,
             device::WorkOrder)
