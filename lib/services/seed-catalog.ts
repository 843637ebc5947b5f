import "server-only";
import type { Tx } from "@/db/client";
import { assignPriceList, insertPriceList, insertPriceListEntries, insertPriceListTiers } from "@/db/queries/price-lists";
import { existingSkus, insertOpeningStock, insertProductsWithInventory, insertProductTiers } from "@/db/queries/products";

// About 200 realistic products in ten categories, generated deterministically (same data on every
// machine), two contract price lists with tiers, and stock that includes low and out-of-stock items.

type Template = { category: string; taxBp: number; unit: string; items: [string, string, number][]; variants: string[] };

const templates: Template[] = [
  { category: "Fasteners", taxBp: 1900, unit: "box", variants: ["M4", "M5", "M6", "M8", "M10"], items: [["Hex bolt zinc-plated", "Box of 100, DIN 933, grade 8.8 steel.", 1290], ["Stainless hex nut", "Box of 200, DIN 934, A2 stainless.", 890], ["Flat washer", "Box of 500, DIN 125, zinc-plated.", 640], ["Socket cap screw", "Box of 100, DIN 912, black oxide.", 1590]] },
  { category: "Hand Tools", taxBp: 1900, unit: "each", variants: ["Standard", "Pro", "Heavy-duty", "Compact"], items: [["Claw hammer 16oz", "Fibreglass handle, anti-vibration grip.", 2490], ["Combination spanner set", "8–19 mm, chrome vanadium, 12 pieces.", 3990], ["Screwdriver set", "Slotted and Phillips, 8 pieces, magnetic tips.", 2190], ["Adjustable wrench 250mm", "Forged steel, laser-etched scale.", 1890], ["Utility knife", "Retractable blade, five spare blades.", 990]] },
  { category: "Power Tools", taxBp: 1900, unit: "each", variants: ["18V", "12V", "Brushless 18V"], items: [["Cordless drill driver", "Two-speed gearbox, 13 mm keyless chuck.", 12900], ["Impact driver", "1/4in hex chuck, 180 Nm torque.", 14900], ["Angle grinder 125mm", "Paddle switch, anti-restart protection.", 9900], ["Jigsaw", "Orbital action, tool-free blade change.", 11900], ["Random orbit sander", "125 mm pad, dust extraction port.", 8900]] },
  { category: "Safety Equipment", taxBp: 1900, unit: "each", variants: ["S", "M", "L", "XL"], items: [["Cut-resistant gloves", "EN 388 level C, nitrile palm coating.", 690], ["Hi-vis vest", "EN ISO 20471 class 2, reflective tape.", 590], ["Safety glasses", "Anti-fog polycarbonate lens, EN 166.", 450], ["Ear defenders", "SNR 30 dB, adjustable headband.", 1490], ["FFP2 respirator", "Pack of 10, exhalation valve.", 1290]] },
  { category: "Electrical", taxBp: 1900, unit: "each", variants: ["1.5mm²", "2.5mm²", "4mm²"], items: [["Installation cable 50m", "NYM-J 3-core, grey sheath.", 4490], ["Wago lever connector", "Pack of 50, 3-conductor.", 1790], ["Cable ties 300mm", "Pack of 100, UV-resistant black nylon.", 590], ["Junction box IP65", "Surface mount, 7 knock-outs.", 390], ["Insulation tape", "Pack of 10 rolls, 19 mm × 20 m.", 690]] },
  { category: "Plumbing", taxBp: 1900, unit: "each", variants: ["15mm", "22mm", "28mm"], items: [["Copper pipe 3m", "EN 1057 half-hard copper tube.", 1590], ["Compression elbow", "Brass, 90 degree, pack of 5.", 990], ["Ball valve", "Full bore, lever handle, PN25.", 1290], ["PTFE tape", "Pack of 10 rolls, 12 m each.", 490], ["Pipe clip", "Pack of 20, plastic, screw fixing.", 390]] },
  { category: "Adhesives & Sealants", taxBp: 1900, unit: "each", variants: ["Clear", "White", "Grey"], items: [["Silicone sealant 310ml", "Sanitary grade, mould resistant.", 690], ["Construction adhesive", "Solvent-free, high initial grab, 290 ml.", 890], ["Epoxy two-part 50ml", "5-minute set, bonds metal and ceramics.", 790], ["Threadlocker medium", "Removable, 50 ml bottle.", 1490]] },
  { category: "Packaging", taxBp: 1900, unit: "pack", variants: ["Small", "Medium", "Large"], items: [["Double-wall cartons", "Pack of 25, brown kraft.", 2490], ["Stretch film 500mm", "23 micron, 300 m roll.", 1390], ["Packing tape 48mm", "Pack of 36, low-noise polypropylene.", 2190], ["Bubble wrap roll", "10 mm bubbles, 50 m.", 1890]] },
  { category: "Cleaning", taxBp: 1900, unit: "each", variants: ["1L", "5L", "10L"], items: [["Heavy-duty degreaser", "Solvent-free, for workshop floors.", 1190], ["Hand cleaner with grit", "Removes oil and grease.", 990], ["Disinfectant surface spray", "EN 1276, fragrance-free.", 790], ["Industrial floor cleaner", "Low foam, for scrubber dryers.", 1490]] },
  { category: "Office Supplies", taxBp: 700, unit: "pack", variants: ["A4", "A5", "Letter"], items: [["Copy paper 80gsm", "Ream of 500 sheets, bright white.", 590], ["Lever arch file", "Pack of 10, 75 mm spine.", 1990], ["Sticky notes", "Pack of 12 pads, 76 × 76 mm.", 890], ["Ballpoint pens", "Box of 50, blue ink.", 1290]] },
  // Appended last so the products above keep their generated stock, packs and tiers.
  { category: "Storage & Shelving", taxBp: 1900, unit: "each", variants: ["Small", "Medium", "Large", "XL"], items: [["Boltless shelving unit", "Galvanised steel, 5 shelves, 175 kg per shelf.", 8900], ["Stacking storage bin", "Polypropylene, louvre-panel compatible.", 450], ["Drawer cabinet", "Steel, lockable, ball-bearing runners.", 24900], ["Louvre panel", "Wall-mounted, for hanging bins.", 3490], ["Pallet racking beam", "Pair, 2700 mm, safety pins included.", 6990]] },
  { category: "Lifting & Handling", taxBp: 1900, unit: "each", variants: ["150kg", "300kg", "500kg", "1000kg"], items: [["Platform trolley", "Folding handle, rubber wheels.", 7900], ["Sack truck", "Puncture-proof wheels, toe plate 400 mm.", 5900], ["Ratchet strap set", "Pack of 4, 5 m, EN 12195-2.", 2490], ["Chain hoist", "Manual, 3 m lift, overload protection.", 18900], ["Pallet truck", "Hydraulic, 1150 mm forks.", 34900]] },
];

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DemoProduct = {
  sku: string; name: string; description: string; category: string; unit: string; basePriceMinor: bigint; taxRateBp: number;
  minOrderQuantity: number; orderMultiple: number; lowStockThreshold: number; onHand: number; tiers: { minQuantity: number; unitPriceMinor: bigint }[];
};

export function demoProducts(): DemoProduct[] {
  const rand = mulberry32(2026);
  const out: DemoProduct[] = [];
  templates.forEach((t, ti) => {
    t.items.forEach(([name, description, price], ii) => {
      t.variants.forEach((variant, vi) => {
        const base = BigInt(Math.round((price * (1 + vi * 0.15)) / 10) * 10);
        const pack = t.unit === "box" || t.unit === "pack" ? [1, 5, 10][Math.floor(rand() * 3)]! : 1;
        const roll = rand();
        const onHand = roll < 0.08 ? 0 : roll < 0.2 ? Math.floor(rand() * 8) + 1 : Math.floor(rand() * 900) + 40;
        out.push({
          sku: `${t.category.slice(0, 3).toUpperCase().replace(/[^A-Z]/g, "X")}-${String(ti * 100 + ii * 10 + vi + 1).padStart(4, "0")}`,
          name: `${name} ${variant}`,
          description,
          category: t.category,
          unit: t.unit,
          basePriceMinor: base,
          taxRateBp: t.taxBp,
          minOrderQuantity: pack > 1 ? pack : 1,
          orderMultiple: pack,
          lowStockThreshold: 10,
          onHand,
          tiers: rand() < 0.6 ? [{ minQuantity: 10 * pack, unitPriceMinor: (base * 95n) / 100n }, { minQuantity: 50 * pack, unitPriceMinor: (base * 90n) / 100n }] : [],
        });
      });
    });
  });
  return out;
}

/** Inserts the demo catalogue once; a second run finds the products and changes nothing. */
export async function seedDemoCatalog(tx: Tx, currency: string, companyIds: Map<string, string>, actorId: string | null): Promise<number> {
  const items = demoProducts();
  if ((await existingSkus(tx, items.map((i) => i.sku))).length > 0) return 0;
  const bySku = new Map(items.map((i) => [i.sku, i]));
  const created = await insertProductsWithInventory(
    tx,
    items.map(({ tiers: _t, onHand: _o, ...p }) => ({ ...p, currency })),
    (p) => bySku.get(p.sku)!.onHand,
  );
  const receipts = created.filter((p) => bySku.get(p.sku)!.onHand > 0);
  await insertOpeningStock(tx, receipts.map((p) => ({ productId: p.id, onHand: bySku.get(p.sku)!.onHand, actorId })));
  await insertProductTiers(tx, created.flatMap((p) => bySku.get(p.sku)!.tiers.map((t) => ({ productId: p.id, ...t }))));

  const year = new Date().getUTCFullYear();
  const lists = [
    { name: `Acme ${year}`, company: "Acme Industrial Supply", discount: 12n, every: 2 },
    { name: `Globex ${year}`, company: "Globex Manufacturing", discount: 8n, every: 3 },
  ];
  for (const l of lists) {
    const list = await insertPriceList(tx, { name: l.name, currency, validFrom: `${year}-01-01`, validTo: `${year + 1}-12-31` });
    const chosen = created.filter((_, i) => i % l.every === 0);
    const entries = await insertPriceListEntries(
      tx,
      chosen.map((p) => ({ priceListId: list.id, productId: p.id, unitPriceMinor: (bySku.get(p.sku)!.basePriceMinor * (100n - l.discount)) / 100n })),
    );
    const entryTiers = entries.flatMap((e, i) => {
      const item = bySku.get(chosen[i]!.sku)!;
      if (i % 2 === 1) return [];
      return [
        { entryId: e.id, minQuantity: 25 * item.orderMultiple, unitPriceMinor: (e.unitPriceMinor * 96n) / 100n },
        { entryId: e.id, minQuantity: 100 * item.orderMultiple, unitPriceMinor: (e.unitPriceMinor * 92n) / 100n },
      ];
    });
    await insertPriceListTiers(tx, entryTiers);
    const companyId = companyIds.get(l.company);
    if (companyId) await assignPriceList(tx, companyId, list.id);
  }
  return created.length;
}


