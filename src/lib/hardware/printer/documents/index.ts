// The printed documents, loaded with the first print job (jobs.ts) rather than with the first screen.
export { dayReportDocument } from './day-report';
export { receiptDocument } from './receipt';
export { refundSlipDocument } from './refund-slip';
export { testPageDocument } from './test-page';
