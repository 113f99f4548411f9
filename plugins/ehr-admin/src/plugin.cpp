// The ehr-admin plugin: item types for EHR, interface and health-information administrators.
#include <assay/sdk.hpp>

#include "access_audit.hpp"
#include "fhir_review.hpp"
#include "hl7_defects.hpp"
#include "hl7_fields.hpp"
#include "icd10_format.hpp"
#include "interface_queue.hpp"
#include "mpi_duplicates.hpp"
#include "role_access.hpp"

ASSAY_PLUGIN("ehr-admin", "1.3.0", "health-information",
             "EHR administration: HL7 v2 interface messages, interface-engine troubleshooting, access audits, master patient "
             "index, FHIR review, role access and "
             "ICD-10-CM code format",
             assay::ehr::Hl7Fields, assay::ehr::Hl7Defects, assay::ehr::AccessAudit, assay::ehr::MpiDuplicates,
             assay::ehr::FhirReview, assay::ehr::RoleAccess, assay::ehr::Icd10Format, assay::ehr::InterfaceQueue)
