import { runApiSuite } from "./api-suite";
import { sqliteTestDatabase } from "@/test/services-harness";

runApiSuite("SQLite", sqliteTestDatabase);
