CREATE TABLE "limit_state" (
	"key" text PRIMARY KEY NOT NULL,
	"state" jsonb NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "limit_state_expires_idx" ON "limit_state" USING btree ("expires_at");