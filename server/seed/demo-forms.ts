import type { FormInput } from "@/spec/form";

/** The demo CRM's published forms (tabs, sections, conditional fields). */
export const DEMO_FORMS: FormInput[] = [
  {
    name: "opportunity_layout",
    label: "Opportunity layout",
    description: "Deal details in two columns; probability only while the deal is not lost; an amount is required once it is won.",
    object: "opportunity",
    isDefault: true,
    tabs: [
      {
        id: "opp_tab_details",
        label: "Details",
        sections: [
          {
            id: "opp_sec_deal",
            type: "fields",
            label: "Deal",
            columns: 2,
            items: [
              { id: "opp_item_name", type: "field", field: "name", span: 2 },
              { id: "opp_item_account", type: "field", field: "account" },
              {
                id: "opp_item_contact",
                type: "field",
                field: "contact",
                helpText: "Contacts of the chosen account",
                lookupFilter: { field: "account", equalsField: "account" },
              },
              { id: "opp_item_stage", type: "field", field: "stage" },
              { id: "opp_item_close", type: "field", field: "close_date" },
              {
                id: "opp_item_amount",
                type: "field",
                field: "amount",
                requiredWhen: "stage = 'closed_won'",
                requiredMessage: "A won deal needs its amount",
              },
              {
                id: "opp_item_probability",
                type: "field",
                field: "probability",
                helpText: "Hidden once the deal is lost",
                visibleWhen: "stage <> 'closed_lost'",
              },
            ],
          },
          {
            id: "opp_sec_notes",
            type: "fields",
            label: "Notes",
            columns: 2,
            collapsible: true,
            items: [{ id: "opp_item_notes", type: "field", field: "notes", span: 2, placeholder: "Next steps, risks, decision makers…" }],
          },
        ],
      },
      {
        id: "opp_tab_system",
        label: "System",
        sections: [{ id: "opp_sec_number", type: "fields", label: "Reference", columns: 2, items: [{ id: "opp_item_number", type: "field", field: "number" }] }],
      },
    ],
  },
  {
    name: "account_layout",
    label: "Account layout",
    description: "Company details, then the account's contacts and opportunities.",
    object: "account",
    isDefault: true,
    tabs: [
      {
        id: "acc_tab_details",
        label: "Details",
        sections: [
          {
            id: "acc_sec_company",
            type: "fields",
            label: "Company",
            columns: 2,
            items: [
              { id: "acc_item_name", type: "field", field: "name" },
              { id: "acc_item_industry", type: "field", field: "industry" },
              { id: "acc_item_website", type: "field", field: "website" },
              { id: "acc_item_phone", type: "field", field: "phone" },
              { id: "acc_item_revenue", type: "field", field: "annual_revenue" },
              { id: "acc_item_employees", type: "field", field: "employees" },
              { id: "acc_item_active", type: "field", field: "active", widget: "toggle" },
            ],
          },
        ],
      },
      {
        id: "acc_tab_related",
        label: "Related",
        sections: [
          { id: "acc_sec_contacts", type: "related", label: "Contacts", object: "contact", lookupField: "account", columns: ["name", "title", "email"], limit: 5 },
          {
            id: "acc_sec_opportunities",
            type: "related",
            label: "Opportunities",
            object: "opportunity",
            lookupField: "account",
            columns: ["name", "stage", "amount", "close_date"],
            limit: 5,
          },
        ],
      },
    ],
  },
];
