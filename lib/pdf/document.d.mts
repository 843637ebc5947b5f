// Types for the plain-JavaScript document module (see document.mjs for why it is not TypeScript).
import type { ReactElement } from "react";
import type { PdfRenderModel } from "./model";
import type { StatementRenderModel } from "./statement-model";

export declare function pdfDocument(model: PdfRenderModel): ReactElement;
export declare function statementDocument(model: StatementRenderModel): ReactElement;
/** Registers the fonts from `fontDir` on first use; CPU-bound for the whole render (blocks the calling thread). */
export declare function renderModelToBuffer(model: PdfRenderModel | StatementRenderModel, options: { fontDir: string }): Promise<Buffer>;
