/**
 * Traffic Light Protocol markings. TLP 1.0 marking definitions are predefined by STIX 2.1
 * §7.2.1.4; TLP 2.0 ones use the property extension `extension-definition--60a3c5c5-…` published
 * by the OASIS CTI TC, each level with a fixed identifier.
 */
export const TLP1_MARKING_IDS = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP2_MARKING_IDS = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
} as const;

export type Tlp1Level = keyof typeof TLP1_MARKING_IDS;
export type Tlp2Level = keyof typeof TLP2_MARKING_IDS;

export function isTlp1Level(level: unknown): level is Tlp1Level {
  return typeof level === 'string' && Object.hasOwn(TLP1_MARKING_IDS, level);
}

export function isTlp2Level(level: unknown): level is Tlp2Level {
  return typeof level === 'string' && Object.hasOwn(TLP2_MARKING_IDS, level);
}
