CREATE TABLE `limit_state` (
	`key` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `limit_state_expires_idx` ON `limit_state` (`expires_at`);