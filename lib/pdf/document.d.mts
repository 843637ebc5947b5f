// Types for the plain-JavaScript document module (see document.mjs for why it is not TypeScript).
import type { ReactElement } from "react";
import type { PdfRenderModel } from "./model";

export declare function pdfDocument(model: PdfRenderModel): ReactElement;
/** Registers the fonts from `fontDir` on first use; CPU-bound for the whole render (blocks the calling thread). */
export declare function renderModelToBuffer(model: PdfRenderModel, options: { fontDir: string }): Promise<Buffer>;
