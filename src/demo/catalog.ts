/**
 * The demo shop's catalog and customers for a seed: the 15 Diskovery disks (from
 * diskover_disks.csv) plus a marketplace of other sellers, and ~300 customers across 13 countries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { normalizeMoney } from '../events/money.js';
import { EMBEDDED_DISKS_CSV } from './disks-fallback.js';
import { COUNTRY_WEIGHTS, DISK_SELLER, MARKETPLACE_OFFERS, SUPPLIERS } from './products.js';
import { Random, WeightedPicker, zipfWeights } from './random.js';

/** Where the Diskovery disks live in the shared data folder beside the repository. */
export const DEFAULT_DISKS_CSV = path.resolve(fileURLToPath(import.meta.url), '../../../../shared/data/diskover_disks.csv');

const CUSTOMER_COUNT = 300;

export type DetailValue = string | number | null;

export interface DemoProduct {
  id: string;
  name: string;
  /** Normalized decimal string. */
  price: string;
  category: string;
  brand: string;
  sellerId: string;
  instock: number;
  /** Below this, a restock is ordered. */
  reorderPoint: number;
  reorderQuantity: number;
  supplier: string;
  details?: Record<string, DetailValue>;
}

export interface DemoCustomer {
  id: string;
  country: string;
}

export interface DemoCatalog {
  seed: number;
  currency: string;
  products: DemoProduct[];
  customers: DemoCustomer[];
  sellers: string[];
  countries: string[];
  /** Views follow a Zipf-like popularity over a seed-dependent ranking of the products. */
  popularity: WeightedPicker<DemoProduct>;
  /** A few customers buy often, most rarely. */
  loyalty: WeightedPicker<DemoCustomer>;
  countryOfGuest: WeightedPicker<string>;
}

export interface CatalogOptions {
  seed: number;
  currency: string;
  disksCsv?: string;
}

export class DemoDataError extends Error {}

export function buildDemoCatalog(options: CatalogOptions): DemoCatalog {
  const random = Random.for(options.seed, 'catalog');
  const disks = readDisks(options.disksCsv);
  const products = [...disks.map((disk) => diskProduct(disk, random)), ...marketplaceProducts(random)];
  const countries = COUNTRY_WEIGHTS.map(([country]) => country);
  const countryOfGuest = new WeightedPicker(countries, COUNTRY_WEIGHTS.map(([, weight]) => weight));
  const customers = Array.from({ length: CUSTOMER_COUNT }, (_, index) => ({
    id: `C${10001 + index}`,
    country: countryOfGuest.pick(random),
  }));
  return {
    seed: options.seed,
    currency: options.currency,
    products,
    customers,
    sellers: [...new Set(products.map((product) => product.sellerId))],
    countries,
    popularity: new WeightedPicker(random.shuffle(products), zipfWeights(products.length, 1.05)),
    loyalty: new WeightedPicker(random.shuffle(customers), zipfWeights(customers.length, 0.8)),
    countryOfGuest,
  };
}

type DiskRow = Record<string, string>;

/**
 * Parses diskover_disks.csv (a row with a trailing empty column, as D010 has, is accepted). Without
 * a path: the shared data file if it is there, else the copy embedded in the code.
 */
export function readDisks(csvPath?: string): DiskRow[] {
  if (csvPath === undefined) {
    return fs.existsSync(DEFAULT_DISKS_CSV) ? readDisks(DEFAULT_DISKS_CSV) : parseDisks(EMBEDDED_DISKS_CSV, 'the embedded disks catalog');
  }
  let text: string;
  try {
    text = fs.readFileSync(csvPath, 'utf8');
  } catch (error) {
    throw new DemoDataError(`demo: cannot read the disks catalog ${csvPath} (${(error as Error).message}); pass disksCsv with the path to diskover_disks.csv, or leave it out to use the built-in copy`);
  }
  return parseDisks(text, csvPath);
}

function parseDisks(text: string, csvPath: string): DiskRow[] {
  const parsed = Papa.parse<DiskRow>(text, { header: true, skipEmptyLines: true, transform: (value) => value.trim() });
  const serious = parsed.errors.find((error) => !(error.code === 'TooManyFields' && extraFieldsAreEmpty(parsed.data[error.row ?? -1])));
  if (serious) throw new DemoDataError(`demo: ${csvPath} row ${(serious.row ?? 0) + 2}: ${serious.message}`);
  for (const [index, row] of parsed.data.entries()) {
    for (const column of ['_id', 'name', 'price']) {
      if (!row[column]) throw new DemoDataError(`demo: ${csvPath} row ${index + 2}: column ${column} is empty`);
    }
  }
  return parsed.data;
}

function extraFieldsAreEmpty(row: DiskRow | undefined): boolean {
  const extra = (row as { __parsed_extra?: string[] } | undefined)?.__parsed_extra ?? [];
  return extra.every((value) => value === '');
}

const DISK_MAPPED_COLUMNS = new Set(['_id', 'name', 'price', 'type', 'manufacturer', '__parsed_extra']);

function diskProduct(row: DiskRow, random: Random): DemoProduct {
  const details: Record<string, DetailValue> = {};
  for (const [column, value] of Object.entries(row)) {
    if (!DISK_MAPPED_COLUMNS.has(column)) details[column] = detailValue(value);
  }
  return {
    id: row._id,
    name: row.name,
    price: normalizeMoney(row.price),
    category: row.type || 'Storage',
    brand: row.manufacturer || 'Unknown',
    sellerId: DISK_SELLER,
    ...stockPolicy(random),
    details,
  };
}

/** "7200" → 7200, "3.5" → 3.5, "-" or "" → null, other text unchanged ("M.2", "MB/s"). */
function detailValue(value: string): DetailValue {
  if (value === '' || value === '-') return null;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function marketplaceProducts(random: Random): DemoProduct[] {
  const products: DemoProduct[] = [];
  for (const offer of MARKETPLACE_OFFERS) {
    for (const item of offer.items) {
      const [brand, name, price] = item.split('|');
      products.push({
        id: `P${1001 + products.length}`,
        name,
        price: normalizeMoney(price),
        category: offer.category,
        brand,
        sellerId: offer.sellerId,
        ...stockPolicy(random),
      });
    }
  }
  return products;
}

function stockPolicy(random: Random): Pick<DemoProduct, 'instock' | 'reorderPoint' | 'reorderQuantity' | 'supplier'> {
  return {
    instock: random.int(15, 80),
    reorderPoint: random.int(6, 12),
    reorderQuantity: random.int(4, 12) * 10,
    supplier: random.pick(SUPPLIERS),
  };
}
