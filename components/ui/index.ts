export * from "./cn";
export * from "./button";
export * from "./input";
export * from "./dialog";
export * from "./feedback";
export * from "./table";
