import "server-only";
import { getCatalogImage, getCatalogProduct, listCatalogProducts } from "./catalog";
import { describeCaller } from "./me";
import type { AnyOperation } from "./operation";
import { addCartLineOperation, getCartOperation, quickOrderOperation, setCartLineOperation, submitCartOperation } from "./cart";
import { acceptOrderOperation, cancelOrderOperation, declineOrderOperation, getOrderOperation, listOrderQuotationsOperation, listOrdersOperation, placeOrderOperation } from "./orders";
import { getQuotation, getQuotationPdf } from "./quotations";
import { createShipmentOperation, getShipmentPdfOperation, listOrderShipmentsOperation } from "./shipments";
import {
  approveReturnOperation,
  getReturnOperation,
  listOrderReturnsOperation,
  listReturnsOperation,
  receiveReturnOperation,
  rejectReturnOperation,
  requestReturnOperation,
} from "./returns";
import { getCreditNoteOperation, getCreditNotePdfOperation, listCreditNotesOperation } from "./credit-notes";
import { getInvoiceOperation, getInvoicePdfOperation, listInvoicesOperation } from "./invoices";
import { getPaymentOperation, listPaymentsOperation, recordPaymentOperation, refundPaymentOperation, rejectPaymentOperation, verifyPaymentOperation } from "./payments";
import { addListLineOperation, createListOperation, getListOperation, listListsOperation, listToCartOperation } from "./lists";
import {
  createWebhookEndpointOperation,
  deleteWebhookEndpointOperation,
  getWebhookEndpointOperation,
  listWebhookDeliveriesOperation,
  listWebhookEndpointsOperation,
  replayWebhookDeliveryOperation,
  updateWebhookEndpointOperation,
} from "./webhook-endpoints";

// Every /api/v1 operation, in the order the reference shows them. The OpenAPI document and the
// contract test read this list; each entry's route file exports routeHandler(entry).
export const operations: AnyOperation[] = [
  describeCaller,
  listCatalogProducts,
  getCatalogProduct,
  getCatalogImage,
  getCartOperation,
  setCartLineOperation,
  addCartLineOperation,
  quickOrderOperation,
  submitCartOperation,
  listListsOperation,
  createListOperation,
  getListOperation,
  addListLineOperation,
  listToCartOperation,
  listOrdersOperation,
  placeOrderOperation,
  getOrderOperation,
  acceptOrderOperation,
  declineOrderOperation,
  cancelOrderOperation,
  listOrderQuotationsOperation,
  listOrderShipmentsOperation,
  createShipmentOperation,
  getShipmentPdfOperation,
  listOrderReturnsOperation,
  requestReturnOperation,
  listReturnsOperation,
  getReturnOperation,
  approveReturnOperation,
  rejectReturnOperation,
  receiveReturnOperation,
  getQuotation,
  getQuotationPdf,
  listInvoicesOperation,
  getInvoiceOperation,
  getInvoicePdfOperation,
  listCreditNotesOperation,
  getCreditNoteOperation,
  getCreditNotePdfOperation,
  listPaymentsOperation,
  getPaymentOperation,
  recordPaymentOperation,
  verifyPaymentOperation,
  rejectPaymentOperation,
  refundPaymentOperation,
  listWebhookEndpointsOperation,
  createWebhookEndpointOperation,
  getWebhookEndpointOperation,
  updateWebhookEndpointOperation,
  deleteWebhookEndpointOperation,
  listWebhookDeliveriesOperation,
  replayWebhookDeliveryOperation,
];
