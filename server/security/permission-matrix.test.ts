import { sqliteFactory } from "@/server/objectql/test-support/test-databases";
import { definePermissionMatrixSuite } from "./permission-matrix.suite";

definePermissionMatrixSuite(sqliteFactory);
