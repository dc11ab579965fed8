import { runHostileInputSuite } from "./hostile-input.suite";
import { sqliteTestDatabase } from "@/test/services-harness";

runHostileInputSuite("SQLite", sqliteTestDatabase);
