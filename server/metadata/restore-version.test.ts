import { runRestoreVersionSuite } from "./restore-version.suite";
import { sqliteTestDatabase } from "@/test/services-harness";

runRestoreVersionSuite("SQLite", sqliteTestDatabase);
