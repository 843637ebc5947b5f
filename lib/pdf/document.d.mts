// Types for the plain-JavaScript document module (see document.mjs for why it is not TypeScript).
import type { ReactElement } from "react";
import type { PdfRenderModel } from "./model";
import type { StatementRenderModel } from "./statement-model";
import type { DeliveryNoteRenderModel } from "./delivery-note-model";

export declare function pdfDocument(model: PdfRenderModel): ReactElement;
export declare function statementDocument(model: StatementRenderModel): ReactElement;
export declare function deliveryNoteDocument(model: DeliveryNoteRenderModel): ReactElement;
/** Registers the fonts from `fontDir` on first use; CPU-bound for the whole render (blocks the calling thread). */
export declare function renderModelToBuffer(model: PdfRenderModel | StatementRenderModel | DeliveryNoteRenderModel, options: { fontDir: string }): Promise<Buffer>;
