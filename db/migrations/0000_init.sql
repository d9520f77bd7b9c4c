CREATE TABLE `answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`learner_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`question_hash` text NOT NULL,
	`position` integer NOT NULL,
	`response` text NOT NULL,
	`verdict` text NOT NULL,
	`score` real NOT NULL,
	`feedback` text,
	`seed` integer,
	`time_spent_ms` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `practice_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answers_session_question_uq` ON `answers` (`session_id`,`question_id`);--> statement-breakpoint
CREATE INDEX `answers_learner_question_idx` ON `answers` (`learner_id`,`question_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `learners` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `practice_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`learner_id` integer NOT NULL,
	`mode` text NOT NULL,
	`chapters` text NOT NULL,
	`question_ids` text NOT NULL,
	`order` text NOT NULL,
	`seed` integer NOT NULL,
	`time_limit_sec` integer,
	`started_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_learner_idx` ON `practice_sessions` (`learner_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`chapter` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`content_hash` text NOT NULL,
	`retired` integer DEFAULT false NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `questions_chapter_idx` ON `questions` (`chapter`);