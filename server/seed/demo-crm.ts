import type { AppInput, ObjectInput } from "@/spec";

/**
 * The demo CRM that a fresh install starts with: leads, and accounts, contacts and opportunities
 * linked by lookups (a screen flow converts a lead into them: demo-flows.ts), and a few hundred records spread over a small sales team, so a new user sees a
 * working app, and its security model (demo-security.ts) at work, at once.
 */
export const DEMO_USERS = [
  { email: "admin@objectstudio.local", password: "Admin123!", name: "Ada Admin", role: "admin" },
  { email: "user@objectstudio.local", password: "User123!", name: "Uma User", role: "user" },
  { email: "manager@objectstudio.local", password: "Manager123!", name: "Max Manager", role: "user" },
  { email: "rep@objectstudio.local", password: "Rep12345!", name: "Rita Rep", role: "user" },
] as const;

/** The sales team of the demo: two reps (Uma, the demo user, and Rita) and their manager Max. */
export const DEMO_TEAM = {
  manager: "manager@objectstudio.local",
  reps: ["user@objectstudio.local", "rep@objectstudio.local"],
} as const;

/**
 * Who owns each demo account (by its index), its contacts and its opportunities: the reps two
 * accounts in five each, the manager the fifth, so every owner has records and a rep sees
 * others' accounts but not their deals.
 */
const ACCOUNT_OWNERS = [DEMO_TEAM.reps[0], DEMO_TEAM.reps[1], DEMO_TEAM.reps[0], DEMO_TEAM.reps[1], DEMO_TEAM.manager] as const;

const INDUSTRIES = [
  { value: "technology", label: "Technology", color: "#3b6ef5" },
  { value: "finance", label: "Finance", color: "#0f9d58" },
  { value: "healthcare", label: "Healthcare", color: "#db4437" },
  { value: "manufacturing", label: "Manufacturing", color: "#f4b400" },
  { value: "retail", label: "Retail", color: "#ab47bc" },
];

const STAGES = [
  { value: "prospecting", label: "Prospecting", color: "#64748b" },
  { value: "qualification", label: "Qualification", color: "#3b6ef5" },
  { value: "proposal", label: "Proposal", color: "#8b5cf6" },
  { value: "negotiation", label: "Negotiation", color: "#f59e0b" },
  { value: "closed_won", label: "Closed won", color: "#10b981" },
  { value: "closed_lost", label: "Closed lost", color: "#ef4444" },
];

const LEAD_STATUSES = [
  { value: "new", label: "New", color: "#3b6ef5" },
  { value: "working", label: "Working", color: "#f59e0b" },
  { value: "converted", label: "Converted", color: "#10b981" },
  { value: "disqualified", label: "Disqualified", color: "#94a3b8" },
];
const LEAD_SOURCES = [
  { value: "web", label: "Web" },
  { value: "referral", label: "Referral" },
  { value: "event", label: "Event" },
  { value: "cold_call", label: "Cold call" },
];

export const DEMO_OBJECTS: ObjectInput[] = [
  {
    name: "account",
    label: "Account",
    pluralLabel: "Accounts",
    icon: "building-2",
    nameField: "name",
    fields: [
      { id: "acc_name", name: "name", label: "Account name", type: "text", required: true },
      { id: "acc_industry", name: "industry", label: "Industry", type: "select", options: INDUSTRIES },
      { id: "acc_website", name: "website", label: "Website", type: "url" },
      { id: "acc_phone", name: "phone", label: "Phone", type: "phone" },
      { id: "acc_revenue", name: "annual_revenue", label: "Annual revenue", type: "currency", scale: 0 },
      { id: "acc_employees", name: "employees", label: "Employees", type: "number", min: 0 },
      { id: "acc_active", name: "active", label: "Active", type: "boolean", defaultValue: true },
    ],
    indexes: [{ fields: ["industry"] }],
  },
  {
    name: "contact",
    label: "Contact",
    pluralLabel: "Contacts",
    icon: "contact",
    nameField: "name",
    fields: [
      { id: "con_name", name: "name", label: "Full name", type: "text", required: true },
      { id: "con_email", name: "email", label: "Email", type: "email", unique: true },
      { id: "con_phone", name: "phone", label: "Phone", type: "phone" },
      { id: "con_title", name: "title", label: "Title", type: "text" },
      { id: "con_account", name: "account", label: "Account", type: "lookup", reference: "account" },
      { id: "con_birthday", name: "birthday", label: "Birthday", type: "date" },
    ],
  },
  {
    name: "opportunity",
    label: "Opportunity",
    pluralLabel: "Opportunities",
    icon: "handshake",
    nameField: "name",
    fields: [
      { id: "opp_number", name: "number", label: "Number", type: "autonumber", format: "OPP-{0000}" },
      { id: "opp_name", name: "name", label: "Opportunity name", type: "text", required: true },
      { id: "opp_account", name: "account", label: "Account", type: "lookup", reference: "account" },
      { id: "opp_contact", name: "contact", label: "Primary contact", type: "lookup", reference: "contact" },
      { id: "opp_stage", name: "stage", label: "Stage", type: "select", options: STAGES, defaultValue: "prospecting", required: true },
      { id: "opp_amount", name: "amount", label: "Amount", type: "currency" },
      { id: "opp_probability", name: "probability", label: "Probability", type: "percent", min: 0, max: 100 },
      { id: "opp_close", name: "close_date", label: "Close date", type: "date" },
      { id: "opp_notes", name: "notes", label: "Notes", type: "textarea" },
    ],
    indexes: [{ fields: ["stage"] }, { fields: ["close_date"] }],
  },
  {
    name: "lead",
    label: "Lead",
    pluralLabel: "Leads",
    icon: "user-plus",
    nameField: "name",
    fields: [
      { id: "lead_name", name: "name", label: "Name", type: "text", required: true },
      { id: "lead_company", name: "company", label: "Company", type: "text", required: true },
      { id: "lead_email", name: "email", label: "Email", type: "email" },
      { id: "lead_phone", name: "phone", label: "Phone", type: "phone" },
      { id: "lead_status", name: "status", label: "Status", type: "select", options: LEAD_STATUSES, defaultValue: "new", required: true },
      { id: "lead_source", name: "source", label: "Source", type: "select", options: LEAD_SOURCES },
      { id: "lead_account", name: "converted_account", label: "Converted account", type: "lookup", reference: "account" },
      { id: "lead_contact", name: "converted_contact", label: "Converted contact", type: "lookup", reference: "contact" },
    ],
    indexes: [{ fields: ["status"] }],
  },
];

export const DEMO_APP: AppInput = {
  name: "crm",
  label: "Sales CRM",
  description: "Accounts, contacts and the opportunity pipeline.",
  icon: "briefcase",
  navigation: [
    { type: "object", object: "account" },
    { type: "object", object: "contact" },
    { type: "object", object: "opportunity" },
    { type: "object", object: "lead" },
  ],
};

/** A small deterministic PRNG (mulberry32) so every install gets the same demo data. */
function random(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANY_A = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Wonka", "Cyberdyne"];
const COMPANY_B = ["Labs", "Industries", "Systems", "Holdings", "Partners", "Group", "Dynamics", "Works"];
const FIRST = ["Alice", "Bob", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kira", "Luis", "Maya", "Noah", "Olga", "Priya"];
const LAST = ["Smith", "Garcia", "Chen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva", "Dubois", "Novak", "Haddad"];
const TITLES = ["CEO", "CTO", "Head of Sales", "Buyer", "Engineer", "Office Manager", "CFO", "Product Lead"];

/** `owner` is the email of the demo user who owns the record (a contact and an opportunity: their account's). */
export type DemoRecords = {
  accounts: (Record<string, unknown> & { owner: string })[];
  contacts: (Record<string, unknown> & { accountIndex: number; owner: string })[];
  opportunities: (Record<string, unknown> & { accountIndex: number; contactIndex: number; owner: string })[];
  leads: (Record<string, unknown> & { owner: string })[];
};

/** 60 accounts, 150 contacts, 240 opportunities, 30 leads; lookups as indexes into the earlier lists. */
export function demoRecords(): DemoRecords {
  const rand = random(20261126);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const accounts = Array.from({ length: 60 }, (_, index) => {
    const name = `${COMPANY_A[index % COMPANY_A.length]} ${COMPANY_B[Math.floor(index / COMPANY_A.length) % COMPANY_B.length]}`;
    return {
      name,
      industry: pick(INDUSTRIES).value,
      website: `https://${name.toLowerCase().replace(/\s+/g, "-")}.example`,
      phone: `+1 555 01${String(index).padStart(2, "0")}`,
      annual_revenue: Math.round(rand() * 50_000) * 1000,
      employees: Math.round(10 + rand() * 5000),
      active: rand() > 0.15,
      owner: ACCOUNT_OWNERS[index % ACCOUNT_OWNERS.length]!,
    };
  });
  const contacts = Array.from({ length: 150 }, (_, index) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, "0");
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, "0");
    const contact = {
      name: `${first} ${last}`,
      email: `${first}.${last}.${index}@example.com`.toLowerCase().replace("ü", "ue"),
      phone: `+1 555 1${String(index).padStart(3, "0")}`,
      title: pick(TITLES),
      birthday: `${1960 + Math.floor(rand() * 40)}-${month}-${day}`,
      accountIndex: Math.floor(rand() * accounts.length),
    };
    return { ...contact, owner: accounts[contact.accountIndex]!.owner };
  });
  const opportunities = Array.from({ length: 240 }, (_, index) => {
    const accountIndex = Math.floor(rand() * accounts.length);
    const stage = pick(STAGES).value;
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, "0");
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, "0");
    return {
      name: `${accounts[accountIndex]!.name} – ${pick(["Renewal", "Expansion", "New licence", "Pilot", "Support plan"])} ${index + 1}`,
      stage,
      amount: Math.round(rand() * 200_000) + 0.5 * Math.round(rand() * 2),
      probability: stage === "closed_won" ? 100 : stage === "closed_lost" ? 0 : Math.round(rand() * 90),
      close_date: `2026-${month}-${day}`,
      accountIndex,
      contactIndex: Math.floor(rand() * contacts.length),
      owner: accounts[accountIndex]!.owner,
    };
  });
  // Made last, so the records above are the same as before leads existed.
  const leads = Array.from({ length: 30 }, (_, index) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const company = `${pick(["Blue", "Red", "North", "Bright", "Swift", "Silver"])} ${pick(["River", "Peak", "Harbor", "Field", "Forge"])} ${pick(COMPANY_B)}`;
    return {
      name: `${first} ${last}`,
      company,
      email: `${first}.${last}@${company.toLowerCase().replace(/\s+/g, "-")}.example`.toLowerCase().replace("ü", "ue"),
      phone: `+1 555 2${String(index).padStart(3, "0")}`,
      status: pick(["new", "new", "working"]),
      source: pick(LEAD_SOURCES).value,
      owner: ACCOUNT_OWNERS[index % ACCOUNT_OWNERS.length]!,
    };
  });
  return { accounts, contacts, opportunities, leads };
}
