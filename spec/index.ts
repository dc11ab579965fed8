export * from "./identifier";
export * from "./object";
export * from "./app";
export * from "./query";
export * from "./metadata";
export * from "./datasource";
export * from "./security";
