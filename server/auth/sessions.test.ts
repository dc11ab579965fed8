import { sqliteTestDatabase } from "@/test/services-harness";
import { runSessionsSuite } from "./sessions.suite";

runSessionsSuite("SQLite", sqliteTestDatabase);
