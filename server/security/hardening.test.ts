import { sqliteTestDatabase } from "@/test/services-harness";
import { runHardeningSuite } from "./hardening.suite";

runHardeningSuite("SQLite", sqliteTestDatabase);
