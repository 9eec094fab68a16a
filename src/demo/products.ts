/**
 * The demo marketplace beside the Diskovery disks: what other sellers offer, and who buys.
 * Plain data; catalog.ts turns it into products and customers for a seed.
 */

export interface SellerOffer {
  sellerId: string;
  category: string;
  /** `brand|name|price` */
  items: string[];
}

export const DISK_SELLER = 'diskovery';

export const MARKETPLACE_OFFERS: SellerOffer[] = [
  {
    sellerId: 'diskovery',
    category: 'Memory',
    items: [
      'Corsair|Corsair Vengeance LPX 16GB DDR4 3200MHz|42.99',
      'Corsair|Corsair Vengeance 32GB DDR5 5600MHz|99.99',
      'Kingston|Kingston Fury Beast 16GB DDR4 3200MHz|38.50',
      'Kingston|Kingston Fury Beast 32GB DDR5 6000MHz|109.00',
      'Crucial|Crucial 8GB DDR4 2666MHz SODIMM|17.99',
      'Crucial|Crucial 16GB DDR5 4800MHz SODIMM|39.99',
      'SanDisk|SanDisk Extreme 128GB microSDXC|19.99',
      'Samsung|Samsung EVO Plus 256GB microSDXC|24.49',
      'SanDisk|SanDisk Ultra Fit 64GB USB 3.2 Flash Drive|9.99',
      'Samsung|Samsung T7 Portable SSD 1TB|89.00',
    ],
  },
  {
    sellerId: 'cablecorner',
    category: 'Cables',
    items: [
      'Anker|Anker USB-C to USB-C Cable 2m 100W|12.99',
      'Anker|Anker USB-C to Lightning Cable 1m|14.99',
      'Ugreen|Ugreen HDMI 2.1 Cable 8K 2m|11.49',
      'Ugreen|Ugreen DisplayPort 1.4 Cable 2m|12.99',
      'StarTech|StarTech SATA III Cable 50cm|4.99',
      'Cable Matters|Cable Matters Cat6 Ethernet Cable 5m|7.99',
      'Cable Matters|Cable Matters Cat6 Ethernet Cable 15m|15.99',
      'Belkin|Belkin USB-A to USB-C Cable 1m|9.99',
      'Ugreen|Ugreen M.2 NVMe Enclosure USB 3.2|24.99',
      'StarTech|StarTech SATA to USB 3.0 Adapter|16.49',
    ],
  },
  {
    sellerId: 'cablecorner',
    category: 'Accessories',
    items: [
      'Anker|Anker 7-in-1 USB-C Hub|34.99',
      'Ugreen|Ugreen 65W GaN Charger|32.99',
      'Belkin|Belkin Surge Protector 8 Sockets|29.99',
      'Logitech|Logitech C920 HD Pro Webcam|59.99',
      'Rain Design|Rain Design mStand Laptop Stand|44.95',
      'Fellowes|Fellowes Anti-Static Cleaning Wipes (100)|6.49',
      'Orico|Orico 2.5 inch HDD Enclosure|11.99',
      'Arctic|Arctic MX-4 Thermal Paste 4g|6.99',
    ],
  },
  {
    sellerId: 'pixelhaus',
    category: 'Monitors',
    items: [
      'Dell|Dell S2721DS 27 inch QHD IPS Monitor|219.00',
      'LG|LG 27GP850 27 inch QHD 165Hz Gaming Monitor|329.99',
      'BenQ|BenQ GW2480 24 inch Full HD Eye-Care Monitor|109.00',
      'Samsung|Samsung Odyssey G5 32 inch Curved Monitor|279.00',
      'AOC|AOC 24G2U 24 inch 144Hz Monitor|149.99',
      'Philips|Philips 243V7QDSB 24 inch Monitor|94.99',
      'iiyama|iiyama ProLite XU2294HSU 22 inch Monitor|89.99',
      'Dell|Dell U2723QE 27 inch 4K USB-C Monitor|499.00',
      'Ergotron|Ergotron LX Single Monitor Arm|159.00',
    ],
  },
  {
    sellerId: 'keysmith',
    category: 'Keyboards',
    items: [
      'Logitech|Logitech MX Keys S Wireless Keyboard|99.99',
      'Keychron|Keychron K2 Wireless Mechanical Keyboard|79.00',
      'Corsair|Corsair K70 RGB PRO Mechanical Keyboard|139.99',
      'Razer|Razer BlackWidow V3 Keyboard|119.99',
      'Microsoft|Microsoft Ergonomic Keyboard|49.99',
      'Cherry|Cherry KC 1000 Keyboard|19.99',
      'Logitech|Logitech K380 Multi-Device Keyboard|34.99',
    ],
  },
  {
    sellerId: 'keysmith',
    category: 'Mice',
    items: [
      'Logitech|Logitech MX Master 3S Mouse|89.99',
      'Logitech|Logitech M185 Wireless Mouse|12.99',
      'Razer|Razer DeathAdder V2 Gaming Mouse|49.99',
      'Microsoft|Microsoft Bluetooth Mouse|19.99',
      'SteelSeries|SteelSeries QcK Mouse Pad Large|14.99',
    ],
  },
  {
    sellerId: 'northwind-trading',
    category: 'Networking',
    items: [
      'TP-Link|TP-Link Archer AX55 Wi-Fi 6 Router|79.99',
      'TP-Link|TP-Link Deco M4 Mesh Wi-Fi (3-pack)|139.99',
      'Netgear|Netgear GS308 8-Port Gigabit Switch|24.99',
      'Ubiquiti|Ubiquiti UniFi U6 Lite Access Point|99.00',
      'Synology|Synology DS224+ 2-Bay NAS|299.99',
      'TP-Link|TP-Link TL-SG105 5-Port Switch|14.99',
      'Netgear|Netgear Nighthawk AX5400 Router|189.99',
    ],
  },
];

/** Where customers live, weighted like a UK shop with European and some overseas buyers. */
export const COUNTRY_WEIGHTS: [country: string, weight: number][] = [
  ['United Kingdom', 38],
  ['Germany', 10],
  ['France', 9],
  ['Ireland', 7],
  ['Netherlands', 6],
  ['United States', 6],
  ['Spain', 5],
  ['Belgium', 4],
  ['Italy', 4],
  ['Sweden', 3],
  ['Switzerland', 3],
  ['Australia', 3],
  ['Norway', 2],
];

export const SUPPLIERS = ['Ingram Micro', 'TD Synnex', 'Exertis', 'Westcoast', 'Also'];
